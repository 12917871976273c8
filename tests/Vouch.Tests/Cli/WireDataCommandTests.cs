using System.Text.Json;

namespace Vouch.Tests.Cli;

/// <summary>`--sender` and `--helo` (and batch fields) take what an SMTP client may send, as data, so `explain` can replay what Postfix saw.</summary>
public sealed class WireDataCommandTests
{
    private static async Task<JsonElement> CheckJsonAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(["check", "--zone", CliRunner.DemoZone, "--json", .. arguments]);
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task ASenderThatBeginsWithAtIsASenderNotAResponseFile()
    {
        var json = await CheckJsonAsync("--ip", "192.0.2.10", "--sender", "@example.com", "--helo", "mail.example.com");

        Assert.Equal("@example.com", json.GetProperty("sender").GetString());
        Assert.Equal("pass", json.GetProperty("spf").GetProperty("result").GetString());
        Assert.Equal("malformed", json.GetProperty("identities").GetProperty("sender").GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoHeloOrAnEmptyOneIsCheckedAsAClientThatGaveNone(bool emptyHelo)
    {
        var json = await CheckJsonAsync(["--ip", "203.0.113.99", "--sender", "carol@example.net", .. emptyHelo ? new[] { "--helo", "" } : []]);

        var identities = json.GetProperty("identities");
        Assert.Equal("missing", identities.GetProperty("helo").GetProperty("kind").GetString());
        Assert.Equal(["helo_missing"], identities.GetProperty("findings").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("none", json.GetProperty("helo_spf").GetProperty("result").GetString());
        Assert.Equal(("black", "spf_none"), (json.GetProperty("verdict").GetString(), json.GetProperty("rule").GetString()));
    }

    [Theory]
    [InlineData("my mail server", "malformed")]
    [InlineData("[203.0.113.99]", "address_literal")]
    [InlineData("-dash.example", "malformed")]
    public async Task AnyHeloTextIsJudged(string helo, string kind)
    {
        var json = await CheckJsonAsync("--ip", "203.0.113.99", "--sender", "carol@example.net", "--helo=" + helo);

        Assert.Equal(helo, json.GetProperty("helo").GetString());
        Assert.Equal(kind, json.GetProperty("identities").GetProperty("helo").GetProperty("kind").GetString());
        Assert.Equal("black", json.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task ExplainShowsClientTextVisiblyAndTheIdentities()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("explain", "--zone", CliRunner.DemoZone, "--ip", "203.0.113.99", "--sender", "carol@example.net", "--helo", "bad\u001b[31mhost");

        Assert.Equal(0, exitCode);
        Assert.Contains("said HELO bad\\x1b[31mhost and MAIL FROM <carol@example.net>", output, StringComparison.Ordinal);
        Assert.Contains("SPF for HELO: checking postmaster@bad\\x1b[31mhost", output, StringComparison.Ordinal);
        Assert.Contains("Identities: HELO malformed (not a domain name", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task BatchLinesTakeAnyTextToo()
    {
        var input = "{\"ip\":\"203.0.113.99\",\"sender\":\"@example.net\"}\n{\"ip\":\"203.0.113.99\",\"sender\":\"john doe@example.net\",\"helo\":\"\"}\n{\"ip\":\"nope\",\"helo\":\"x\"}\n";

        var (exitCode, output, _) = await CliRunner.RunWithInputAsync(input, "check", "--zone", CliRunner.DemoZone, "--batch", "-");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exitCode);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"verdict\":\"black\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"sender\":\"john doe@example.net\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"error\":\"ip: 'nope' is not an IP address", lines[2], StringComparison.Ordinal);
    }
}
