using System.Diagnostics;
using System.Globalization;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// Debian's miltertest (the OpenDKIM project's milter test driver) runs the Lua scripts in tests/milter/ against
/// `vouch milter` on the demo zone in enforce mode: connect, helo, mail, rcpt, headers, end of message, and the
/// replies and header changes each script asserts.
/// </summary>
public sealed class MiltertestTests : IAsyncLifetime
{
    private VouchServeProcess? milter;

    public static TheoryData<string> Scripts => new(Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "milter"), "*.lua").Select(Path.GetFileName).Order()!);

    public async Task InitializeAsync() =>
        milter = await VouchServeProcess.StartMilterAsync("mode = \"enforce\"\n[server]\nhost_name = \"mx.receiver.example\"\n", ["--zone", Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.zone")]);

    public async Task DisposeAsync()
    {
        if (milter is not null)
        {
            await milter.DisposeAsync();
        }
    }

    [Fact]
    public void EveryScriptIsRun() => Assert.True(Scripts.Count >= 3);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task TheScriptPasses(string script)
    {
        if (!File.Exists("/usr/bin/miltertest"))
        {
            throw new InvalidOperationException("miltertest is not installed: run ./test.sh, which installs the Debian package 'miltertest'.");
        }

        var start = new ProcessStartInfo("/usr/bin/miltertest") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-D", string.Create(CultureInfo.InvariantCulture, $"port={milter!.Port}"), "-s", Path.Combine(TestPaths.RepositoryRoot, "tests", "milter", script) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(giveUp.Token);

        Assert.True(process.ExitCode == 0, $"miltertest {script} exited {process.ExitCode}:\n{await output}{await error}\nvouch milter:\n{milter.Log}");
    }
}
