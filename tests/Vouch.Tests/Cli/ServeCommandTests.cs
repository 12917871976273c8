namespace Vouch.Tests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task CheckConfigValidatesAndExits()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("serve", "--check-config", "--config", Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.toml"), "--zone", CliRunner.DemoZone);

        Assert.True(exitCode == 0, error);
        Assert.StartsWith("vouch: configuration OK", output, StringComparison.Ordinal);
        Assert.Contains("1 DNS lists", output, StringComparison.Ordinal);
        Assert.DoesNotContain("vouch: set", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfigNotesAWholeCheckOptionLeftUnderSpf()
    {
        var config = Path.Combine(Path.GetTempPath(), $"vouch-deprecated-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(config, "[spf]\ndeadline_seconds = 15\n");
        try
        {
            var (exitCode, output, error) = await CliRunner.RunAsync("serve", "--check-config", "--config", config, "--zone", CliRunner.DemoZone);

            Assert.True(exitCode == 0, error);
            Assert.Contains($"vouch: note: {config}:2: [spf] deadline_seconds is deprecated; use [checks] deadline_seconds", output, StringComparison.Ordinal);
            Assert.Contains("vouch: set checks.deadline_seconds = 15 (default 20): the most one check of a request may take, in seconds; past it, grey", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task CheckConfigRejectsABadListenAddress()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "--check-config", "--zone", CliRunner.DemoZone, "--listen", "nowhere:x");

        Assert.Equal(2, exitCode);
        Assert.Contains("--listen:", error, StringComparison.Ordinal);
    }
}
