namespace Vouch.Tests.Cli;

/// <summary>The man pages the package installs, made from the commands' own help.</summary>
public sealed class ManPageTests
{
    [Fact]
    public async Task EveryCommandGetsAPageThatListsItsOptionsAsItsHelpDoes()
    {
        var folder = Directory.CreateTempSubdirectory("vouch-man-").FullName;
        try
        {
            var (exitCode, _, error) = await CliRunner.RunAsync("manpages", folder, "--date", "2026-12-03");
            var (_, help, _) = await CliRunner.RunAsync("serve", "--help");
            var serve = await File.ReadAllTextAsync(Path.Combine(folder, "vouch-serve.1"));
            var root = await File.ReadAllTextAsync(Path.Combine(folder, "vouch.1"));

            Assert.Equal(0, exitCode);
            Assert.Equal("", error);
            Assert.Equal(["vouch-audit.1", "vouch-check.1", "vouch-explain.1", "vouch-milter.1", "vouch-replay.1", "vouch-report.1", "vouch-reputation.1", "vouch-rollout.1", "vouch-serve.1", "vouch.1"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.StartsWith(".TH VOUCH\\-SERVE 1 \"2026-12-03\" \"vouch 0.13.0\"", serve, StringComparison.Ordinal);
            foreach (var option in new[] { "--listen", "--stdio", "--check-config", "--zone", "--dns", "--config" })
            {
                Assert.Contains(option, help, StringComparison.Ordinal);
                Assert.Contains($"\\fB{option.Replace("-", "\\-", StringComparison.Ordinal)}\\fR", serve, StringComparison.Ordinal);
            }

            Assert.Contains("\\fBvouch\\-check\\fR(1), \\fBvouch\\-explain\\fR(1), \\fBvouch\\-serve\\fR(1), \\fBvouch\\-milter\\fR(1)", root, StringComparison.Ordinal);
            Assert.DoesNotContain("manpages", root, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
