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
    }

    [Fact]
    public async Task CheckConfigRejectsABadListenAddress()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "--check-config", "--zone", CliRunner.DemoZone, "--listen", "nowhere:x");

        Assert.Equal(2, exitCode);
        Assert.Contains("--listen:", error, StringComparison.Ordinal);
    }
}
