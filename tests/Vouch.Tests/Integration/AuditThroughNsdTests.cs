using System.Text.Json;
using Vouch.Tests.Cli;

namespace Vouch.Tests.Integration;

/// <summary>`vouch audit` asking a real authoritative DNS server (NSD, serving tests/zones/) over the network.</summary>
[Collection(RealDnsCollection.Name)]
public sealed class AuditThroughNsdTests(RealDnsFixture dns)
{
    [Fact]
    public async Task TheMxHostsOfADomainAreFoundAndJudgedThroughTheNetwork()
    {
        // mx.senders.test lists in.mx (192.0.2.200) and, at low priority, out.mx (127.0.0.11), its outbound server.
        var (exit, output, error) = await CliRunner.RunAsync("audit", "mx.senders.test", "--dns", dns.Address, "--format", "json");

        Assert.True(exit is 0 or 1, error);
        using var json = JsonDocument.Parse(output);
        var servers = json.RootElement.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("ip").GetString()!, s => s.GetProperty("origin").GetString());
        Assert.Equal("MX host out.mx.senders.test", servers["127.0.0.11"]);
        Assert.Equal("MX host in.mx.senders.test", servers["192.0.2.200"]);
        var outbound = json.RootElement.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("ip").GetString() == "127.0.0.11" && r.GetProperty("mail_from").GetString()!.Length > 0);
        Assert.Equal(("white", "mx_registered", "mx.senders.test", 90), (outbound.GetProperty("verdict").GetString(), outbound.GetProperty("rule").GetString(), outbound.GetProperty("registered_by").GetString(), outbound.GetProperty("preference").GetInt32()));
    }

    [Fact]
    public async Task AnSpfFailThroughTheNetworkIsAnErrorAndAZoneFileShadowsTheLiveRecord()
    {
        var (exit, output, error) = await CliRunner.RunAsync("audit", "fail.senders.test", "--dns", dns.Address, "--ip", "127.0.0.13", "--helo", "helo.senders.test", "--format", "json");

        Assert.True(exit == 1, error);
        using (var json = JsonDocument.Parse(output))
        {
            var row = json.RootElement.GetProperty("rows")[0];
            Assert.Equal(("black", "spf_fail"), (row.GetProperty("verdict").GetString(), row.GetProperty("rule").GetString()));
        }

        // What if fail.senders.test listed 127.0.0.13? The draft record shadows the live one; the rest still comes from NSD.
        var draft = Path.Combine(Path.GetTempPath(), $"vouch-audit-draft-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(draft, "$ORIGIN fail.senders.test.\n$TTL 300\n@ SOA ns.vouch.test. hostmaster.vouch.test. 2 3600 600 86400 60\n@ TXT \"v=spf1 ip4:127.0.0.13 -all\"\n");
        try
        {
            var (after, afterOutput, afterError) = await CliRunner.RunAsync("audit", "fail.senders.test", "--dns", dns.Address, "--zone", draft, "--ip", "127.0.0.13", "--helo", "helo.senders.test", "--format", "json");

            Assert.True(after is 0 or 1, afterError);
            using var json = JsonDocument.Parse(afterOutput);
            var row = json.RootElement.GetProperty("rows")[0];
            Assert.Equal(("white", "spf_pass"), (row.GetProperty("verdict").GetString(), row.GetProperty("rule").GetString()));
            // Beside it, the same row on the live DNS.
            var live = json.RootElement.GetProperty("live").GetProperty("rows")[0];
            Assert.Equal(("127.0.0.13", "black", "spf_fail"), (live.GetProperty("ip").GetString(), live.GetProperty("verdict").GetString(), live.GetProperty("rule").GetString()));

            var (_, text, _) = await CliRunner.RunAsync("audit", "fail.senders.test", "--dns", dns.Address, "--zone", draft, "--ip", "127.0.0.13", "--helo", "helo.senders.test");
            Assert.Contains("Live DNS and with the zone files (what-if):", text, StringComparison.Ordinal);
            Assert.Contains("black (spf_fail)", text, StringComparison.Ordinal);
            Assert.Contains("white (spf_pass)", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(draft);
        }
    }
}
