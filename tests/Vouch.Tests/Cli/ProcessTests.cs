using System.Diagnostics;

namespace Vouch.Tests.Cli;

/// <summary>The built executable, run as a process: exit codes and streams as a shell sees them.</summary>
public sealed class ProcessTests
{
    [Theory]
    [InlineData(0, "check --zone {zone} --ip 192.0.2.10 --sender alice@example.com --helo mail.example.com", "pass for example.com")]
    [InlineData(2, "check --zone {zone} --ip 192.0.2.999 --helo mail.example.com", "is not an IP address")]
    [InlineData(2, "check --no-such-option", "--no-such-option")]
    public async Task ExitCodesAreThoseDocumented(int expectedExitCode, string arguments, string expectedText)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Vouch.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments.Split(' '))
        {
            start.ArgumentList.Add(argument.Replace("{zone}", CliRunner.DemoZone, StringComparison.Ordinal));
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(expectedExitCode, process.ExitCode);
        Assert.Contains(expectedText, (await output) + (await error), StringComparison.Ordinal);
    }
}
