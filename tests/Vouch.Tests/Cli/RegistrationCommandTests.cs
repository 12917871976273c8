using System.Text.Json;

namespace Vouch.Tests.Cli;

/// <summary>The demo zone's registration stories, through the command line.</summary>
public sealed class RegistrationCommandTests
{
    private static async Task<JsonElement> CheckAsync(string ip, string sender, string helo, params string[] extra)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(["check", "--zone", CliRunner.DemoZone, "--ip", ip, "--sender", sender, "--helo", helo, "--json", .. extra]);
        Assert.True(exitCode == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public async Task ALowPriorityMxIsRegisteredByItsSendersDomain()
    {
        var answer = await CheckAsync("198.51.100.30", "bob@example.net", "relay.example.net");

        var registration = answer.GetProperty("registration");
        Assert.Equal("registered", registration.GetProperty("result").GetString());
        Assert.Equal("example.net", registration.GetProperty("domain").GetString());
        Assert.Equal("example.net", registration.GetProperty("owner").GetString());
        Assert.Equal("mailfrom", registration.GetProperty("via").GetString());
        Assert.Equal("relay.example.net", registration.GetProperty("mx_host").GetString());
        Assert.Equal(90, registration.GetProperty("preference").GetInt32());
        Assert.True(registration.GetProperty("lowest_priority").GetBoolean());
        Assert.Equal("pass", answer.GetProperty("fcrdns").GetProperty("result").GetString());
        Assert.Equal(("white", "accept", "monitor", "mx_registered"), (Text(answer, "verdict"), Text(answer, "action"), Text(answer, "mode"), Text(answer, "rule")));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("smtp_reply").ValueKind);
    }

    [Theory]
    [InlineData("198.51.100.40", "out1.mailout.example", "helo")]
    [InlineData("198.51.100.41", "[198.51.100.41]", "ptr")]
    public async Task AnOutboundOnlyDomainRegistersItsServers(string ip, string helo, string via)
    {
        var registration = (await CheckAsync(ip, "orders@shop.example.org", helo)).GetProperty("registration");

        Assert.Equal(("registered", "mailout.example", via), (Text(registration, "result"), Text(registration, "domain"), Text(registration, "via")));
    }

    [Fact]
    public async Task AnUnregisteredServerIsBlackAndMonitorModeTagsIt()
    {
        var answer = await CheckAsync("203.0.113.99", "carol@example.net", "dsl-203-0-113-99.isp.example");

        Assert.Equal(("unregistered", "fail"), (Text(answer.GetProperty("registration"), "result"), Text(answer.GetProperty("fcrdns"), "result")));
        Assert.Equal(("black", "tag", "reject"), (Text(answer, "verdict"), Text(answer, "action"), Text(answer, "enforced_action")));
        Assert.StartsWith("550 5.7.1 203.0.113.99 is not a registered mail server", Text(answer, "smtp_reply"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANullMxSenderIsRefusedWithItsOwnCode()
    {
        var answer = await CheckAsync("198.51.100.20", "alerts@noreply.example.org", "mail.example.net");

        Assert.True(answer.GetProperty("registration").GetProperty("sender_null_mx").GetBoolean());
        Assert.Equal("null_mx_sender", Text(answer, "rule"));
        Assert.StartsWith("550 5.7.27 ", Text(answer, "smtp_reply"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListedSpammerIsRefusedThoughItsSpfPasses()
    {
        var answer = await CheckAsync("203.0.113.7", "win@spammer.example", "mx.spammer.example", "--config", Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.toml"));

        Assert.Equal("pass", Text(answer.GetProperty("spf"), "result"));
        Assert.Equal(("black", "block_listed"), (Text(answer, "verdict"), Text(answer, "rule")));
        var blocked = answer.GetProperty("lists").GetProperty("blocked");
        Assert.Equal(("demo-rhsbl", "spammer.example"), (Text(blocked, "list"), Text(blocked, "subject")));
    }

    [Theory]
    [InlineData("198.51.100.60", "Granted", "apl:relays.provider.example", "white", "rmx_granted")]
    [InlineData("198.51.100.63", "Denied", "!ipv4:198.51.100.63", "black", "rmx_denied")]
    public async Task RmxRecordsVouchOrDeny(string ip, string result, string entry, string verdict, string rule)
    {
        var answer = await CheckAsync(ip, "secretary@club.example.org", "relay.provider.example");

        var rmx = answer.GetProperty("rmx");
        Assert.Equal((result, "club.example.org", entry), (Text(rmx, "result"), Text(rmx, "domain"), Text(rmx, "entry")));
        Assert.Equal((verdict, rule), (Text(answer, "verdict"), Text(answer, "rule")));
    }

    [Fact]
    public async Task RmxCanBeTurnedOff()
    {
        var config = Path.Combine(Path.GetTempPath(), $"vouch-normx-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(config, "[rmx]\nenabled = false\n");
        try
        {
            var answer = await CheckAsync("198.51.100.63", "secretary@club.example.org", "relay.provider.example", "--config", config);

            Assert.Equal("NoRMX", Text(answer.GetProperty("rmx"), "result"));
            Assert.NotEqual("rmx_denied", Text(answer, "rule"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task EnforceModeFromTheConfigurationRejects()
    {
        var config = Path.Combine(Path.GetTempPath(), $"vouch-enforce-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(config, "mode = \"enforce\"\n");
        try
        {
            var answer = await CheckAsync("203.0.113.99", "carol@example.net", "dsl-203-0-113-99.isp.example", "--config", config);

            Assert.Equal(("reject", "enforce"), (Text(answer, "action"), Text(answer, "mode")));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task ABadConfigurationIsExitCode2NamingTheLineAndKey()
    {
        var config = Path.Combine(Path.GetTempPath(), $"vouch-bad-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(config, "mode = \"monitor\"\n[dns]\ntimeout = 5\n");
        try
        {
            var (exitCode, output, error) = await CliRunner.RunAsync("check", "--zone", CliRunner.DemoZone, "--config", config, "--ip", "192.0.2.1", "--helo", "h.example");

            Assert.Equal(2, exitCode);
            Assert.Equal("", output);
            Assert.Contains($"{config}:3: dns.timeout: unknown key", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task ExplainTellsWhyInPlainWords()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("explain", "--zone", CliRunner.DemoZone, "--ip", "198.51.100.41", "--sender", "orders@shop.example.org", "--helo", "[198.51.100.41]");

        Assert.Equal(0, exitCode);
        Assert.Contains("  PTR out2.mailout.example: resolves back to the client (confirmed)", output, StringComparison.Ordinal);
        Assert.Contains("  mailout.example (organisational domain of the confirmed PTR name): registered", output, StringComparison.Ordinal);
        Assert.Contains("  mx_registered      holds -> white, accept", output, StringComparison.Ordinal);
        Assert.Contains("because 198.51.100.41 is registered as MX host out2.mailout.example of mailout.example", output, StringComparison.Ordinal);
    }

    private static string? Text(JsonElement element, string name) => element.GetProperty(name).GetString();
}
