using System.Text.Json;

namespace Vouch.Tests.Cli;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task PrintsAReadableSummaryForTheDemoZone()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("check", "--zone", CliRunner.DemoZone, "--ip", "192.0.2.10", "--sender", "alice@example.com", "--helo", "mail.example.com");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("SPF MAIL FROM: pass for example.com (matched ip4:192.0.2.0/28", output, StringComparison.Ordinal);
        Assert.Contains("SPF HELO     : fail for mail.example.com", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonKeepsTheDocumentedFieldNames()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("check", "--zone", CliRunner.DemoZone, "--ip", "203.0.113.66", "--sender", "alice@example.com", "--helo", "spoofer.example.net", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var spf = document.RootElement.GetProperty("spf");
        Assert.Equal("fail", spf.GetProperty("result").GetString());
        Assert.Equal("example.com", spf.GetProperty("domain").GetString());
        Assert.Equal("-all", spf.GetProperty("mechanism").GetString());
        Assert.Equal("203.0.113.66 is not one of example.com's mail servers. See https://www.example.com/mail-policy", spf.GetProperty("explanation").GetString());
        Assert.Equal(2, spf.GetProperty("dns_lookups").GetInt32());
        Assert.Equal(0, spf.GetProperty("void_lookups").GetInt32());
        Assert.Equal(JsonValueKind.Null, spf.GetProperty("problem").ValueKind);
        var heloSpf = document.RootElement.GetProperty("helo_spf");
        Assert.Equal("none", heloSpf.GetProperty("result").GetString());
        Assert.Equal("spoofer.example.net", heloSpf.GetProperty("domain").GetString());
        Assert.Equal("203.0.113.66", document.RootElement.GetProperty("ip").GetString());
    }

    [Theory]
    [InlineData("198.51.100.7", "orders@shop.example.org", "softfail")]
    [InlineData("198.51.100.20", "bob@example.net", "none")]
    [InlineData("192.0.2.10", "carol@broken.example.org", "permerror")]
    [InlineData("198.51.100.99", "news@example.com", "pass")]
    public async Task TheDemoStoriesGiveTheirResults(string ip, string sender, string expected)
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("check", "--zone", CliRunner.DemoZone, "--ip", ip, "--sender", sender, "--helo", "mail.example.com", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(expected, document.RootElement.GetProperty("spf").GetProperty("result").GetString());
    }

    [Theory]
    [InlineData(new[] { "check", "--zone", "ZONE", "--ip", "300.1.2.3", "--helo", "h.example" }, "--ip: '300.1.2.3' is not an IP address")]
    [InlineData(new[] { "check", "--zone", "ZONE", "--ip", "1.2.3", "--helo", "h.example" }, "is not an IP address")]
    [InlineData(new[] { "check", "--zone", "ZONE", "--helo", "h.example" }, "--ip is required")]
    [InlineData(new[] { "check", "--dns", "dns.example", "--ip", "192.0.2.1", "--helo", "h.example" }, "--dns: 'dns.example' is not an address")]
    [InlineData(new[] { "check", "--dns", "127.0.0.1:99999", "--ip", "192.0.2.1", "--helo", "h.example" }, "has a bad port")]
    [InlineData(new[] { "check", "--zone", "/nonexistent/x.zone", "--ip", "192.0.2.1", "--helo", "h.example" }, "/nonexistent/x.zone")]
    [InlineData(new[] { "check", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "check", "--zone", "ZONE", "--batch", "-", "--ip", "192.0.2.1" }, "do not give --ip")]
    [InlineData(new[] { "explain", "--zone", "ZONE", "--ip", "::g", "--helo", "h.example" }, "is not an IP address")]
    public async Task WrongInputIsAPreciseMessageAndExitCode2(string[] args, string message)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(args.Select(a => a == "ZONE" ? CliRunner.DemoZone : a).ToArray());

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AZoneFileErrorNamesTheFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vouch-bad-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(path, "$ORIGIN example.com.\n@ 3600 IN A 192.0.2.1\nwww 3600 IN A 192.0.2.300\n");
        try
        {
            var (exitCode, _, error) = await CliRunner.RunAsync("check", "--zone", path, "--ip", "192.0.2.1", "--helo", "h.example");

            Assert.Equal(2, exitCode);
            Assert.Contains($"{path}:3:", error, StringComparison.Ordinal);
            Assert.Contains("192.0.2.300", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
