using Vouch.Cli;

namespace Vouch.Tests.Cli;

/// <summary>Runs the vouch command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static string DemoZone => Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.zone");

    public static async Task<(int ExitCode, string Output, string Error)> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exitCode = await VouchCommandLine.RunAsync(args, reader, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunWithInputAsync("", args);
}
