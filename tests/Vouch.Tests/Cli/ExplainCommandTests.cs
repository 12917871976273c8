namespace Vouch.Tests.Cli;

public sealed class ExplainCommandTests
{
    [Fact]
    public async Task ShowsEveryQueryAndTermAsAnIndentedTree()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("explain", "--zone", CliRunner.DemoZone, "--ip", "198.51.100.99", "--sender", "news@example.com", "--helo", "out.mailhost.example.net");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n');
        Assert.Contains("  DNS TXT example.com: \"v=spf1 mx ip4:192.0.2.0/28 include:_spf.mailhost.example.net -all exp=why._spf.example.com\"", lines);
        Assert.Contains("  mx -> no match: 198.51.100.99 is not an address of the 1 MX host(s) of example.com", lines);
        Assert.Contains("      DNS MX example.com: 10 mail.example.com", lines);
        Assert.Contains("  include:_spf.mailhost.example.net -> match: _spf.mailhost.example.net gives pass", lines);
        Assert.Contains("      ip4:198.51.100.96/29 -> match: 198.51.100.99 is in 198.51.100.96/29", lines);
        Assert.Contains("  => pass for example.com (matched include:_spf.mailhost.example.net; 2 DNS lookups, 0 void)", lines);
        var include = Array.FindIndex(lines, l => l.StartsWith("  include:", StringComparison.Ordinal));
        var nested = Array.FindIndex(lines, l => l.StartsWith("      DNS TXT _spf.mailhost.example.net", StringComparison.Ordinal));
        Assert.True(include >= 0 && nested > include, "the included domain's steps follow the include term");
    }

    [Fact]
    public async Task ExplainsABounceAsTheHeloIdentity()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("explain", "--zone", CliRunner.DemoZone, "--ip", "192.0.2.25", "--helo", "mail.example.com");

        Assert.Equal(0, exitCode);
        Assert.Contains("empty: a bounce, so the HELO name stands in", output, StringComparison.Ordinal);
        Assert.Contains("checking postmaster@mail.example.com", output, StringComparison.Ordinal);
    }
}
