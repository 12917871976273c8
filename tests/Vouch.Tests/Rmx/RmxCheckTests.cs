using System.Net;
using Vouch.Dns;
using Vouch.Dns.Zones;
using Vouch.Headers;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Tests.Support;

namespace Vouch.Tests.Rmx;

public sealed class RmxCheckTests
{
    private static async Task<RmxResult> CheckAsync(ZoneData zone, string ip, string sender, string helo = "helo.example", RmxOptions? options = null)
    {
        var resolver = new ZoneResolver(zone);
        var client = IPAddress.Parse(ip);
        var fcrdns = new FcrdnsCheck(resolver).CheckAsync(client, CancellationToken.None);
        return await new RmxCheck(resolver, options).CheckAsync(client, Vouch.Smtp.ReversePath.Parse(sender), Vouch.Smtp.HeloName.Parse(helo), () => fcrdns, CancellationToken.None);
    }

    private static ZoneData Zone(string text)
    {
        var zone = new ZoneData();
        zone.LoadText("$ORIGIN example.\n$TTL 300\n" + text, "rmx-test.zone");
        return zone;
    }

    [Theory]
    [InlineData("\"ipv4:192.0.2.0/24\"", "192.0.2.77", RmxResultCode.Granted, "ipv4:192.0.2.0/24")]
    [InlineData("\"IPv6:2001:db8::/32\"", "2001:db8::5", RmxResultCode.Granted, "IPv6:2001:db8::/32")]
    [InlineData("\"1:192.0.2.0/24\"", "192.0.2.77", RmxResultCode.Granted, "1:192.0.2.0/24")]
    [InlineData("\"!ipv4:192.0.2.77 ipv4:192.0.2.0/24\"", "192.0.2.77", RmxResultCode.Denied, "!ipv4:192.0.2.77")]
    [InlineData("\"ipv4:192.0.2.0/24 !ipv4:192.0.2.77\"", "192.0.2.77", RmxResultCode.Granted, "ipv4:192.0.2.0/24")]
    [InlineData("\"ipv4:198.51.100.0/24\"", "192.0.2.77", RmxResultCode.NotInRmx, null)]
    [InlineData("\"unused:\"", "192.0.2.77", RmxResultCode.Denied, "unused:")]
    [InlineData("\"host:relay.example\"", "192.0.2.25", RmxResultCode.Granted, "host:relay.example")]
    [InlineData("\"!host:relay.example ipv4:192.0.2.0/24\"", "192.0.2.25", RmxResultCode.Denied, "!host:relay.example")]
    [InlineData("\"apl:relays.example\"", "192.0.2.99", RmxResultCode.Granted, "apl:relays.example")]
    [InlineData("\"apl:relays.example\"", "192.0.2.5", RmxResultCode.NotInRmx, null)]
    [InlineData("\"mx:\"", "192.0.2.25", RmxResultCode.Granted, "mx:")]
    [InlineData("\"mx:\"", "192.0.2.26", RmxResultCode.NotInRmx, null)]
    [InlineData("\"full: ipv4:192.0.2.0/24\"", "192.0.2.1", RmxResultCode.Granted, "ipv4:192.0.2.0/24")]
    public async Task EveryEntryTypeAndFirstMatchOrder(string record, string ip, RmxResultCode expected, string? entry)
    {
        var zone = Zone($"""
            sender  MX 10 relay
            relay   A 192.0.2.25
            relays  APL 1:192.0.2.0/24 !1:192.0.2.0/29
            _rmx.sender TXT {record}
            """);

        var result = await CheckAsync(zone, ip, "a@sender.example");

        Assert.Equal((expected, entry, "sender.example"), (result.Code, result.Entry, result.Domain));
    }

    [Fact]
    public async Task DomainEntriesNeedAForwardConfirmedPtrName()
    {
        var zone = Zone("""
            _rmx.sender TXT "domain:mailhosts.example"
            _rmx.self   TXT "domain:"
            out.mailhosts A 192.0.2.40
            fake.mailhosts A 192.0.2.99
            out.self    A 192.0.2.50
            """);
        zone.Add(new ResourceRecord(DnsName.ReverseName(IPAddress.Parse("192.0.2.40")), DnsRecordType.PTR, TimeSpan.FromHours(1), "out.mailhosts.example"));
        zone.Add(new ResourceRecord(DnsName.ReverseName(IPAddress.Parse("192.0.2.41")), DnsRecordType.PTR, TimeSpan.FromHours(1), "fake.mailhosts.example"));
        zone.Add(new ResourceRecord(DnsName.ReverseName(IPAddress.Parse("192.0.2.50")), DnsRecordType.PTR, TimeSpan.FromHours(1), "out.self.example"));

        Assert.Equal(RmxResultCode.Granted, (await CheckAsync(zone, "192.0.2.40", "a@sender.example")).Code);
        Assert.Equal(RmxResultCode.NotInRmx, (await CheckAsync(zone, "192.0.2.41", "a@sender.example")).Code);
        Assert.Equal(RmxResultCode.Granted, (await CheckAsync(zone, "192.0.2.50", "a@self.example")).Code);
    }

    [Fact]
    public async Task SeveralRecordsAreConcatenated()
    {
        var zone = Zone("""
            _rmx.sender TXT "ipv4:198.51.100.0/24"
            _rmx.sender TXT "ipv4:192.0.2.0/24"
            """);

        Assert.Equal(RmxResultCode.Granted, (await CheckAsync(zone, "192.0.2.1", "a@sender.example")).Code);
    }

    [Theory]
    [InlineData("\"bogus:x ipv4:192.0.2.0/24\"", "unknown tag 'bogus'")]
    [InlineData("\"9:x\"", "unknown tag '9'")]
    [InlineData("\"ipv4:300.1.2.3\"", "is not an IPv4 address")]
    [InlineData("\"!unused:\"", "cannot be negated")]
    [InlineData("\"mx:foo.example\"", "takes no data")]
    public async Task BadDataAbortsEvaluation(string record, string problem)
    {
        var result = await CheckAsync(Zone($"_rmx.sender TXT {record}\n"), "192.0.2.1", "a@sender.example");

        Assert.Equal(RmxResultCode.BadData, result.Code);
        Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRecordsIsNoRmx() =>
        Assert.Equal(RmxResultCode.NoRmx, (await CheckAsync(Zone("sender A 192.0.2.1\n"), "192.0.2.1", "a@sender.example")).Code);

    [Fact]
    public async Task DnsFailureIsTempFail()
    {
        var zone = Zone("_rmx.sender TXT \"host:down.example\"\n");
        zone.InjectFailure("down.example", DnsStatus.Timeout);
        var txtDown = Zone("");
        txtDown.InjectFailure("_rmx.sender.example", DnsStatus.ServerFailure);

        Assert.Equal(RmxResultCode.TempFail, (await CheckAsync(zone, "192.0.2.1", "a@sender.example")).Code);
        Assert.Equal(RmxResultCode.TempFail, (await CheckAsync(txtDown, "192.0.2.1", "a@sender.example")).Code);
    }

    [Fact]
    public async Task AnEmptySenderLooksUpTheHeloName()
    {
        var zone = Zone("_rmx.mta.sender TXT \"ipv4:192.0.2.7\"\n");

        var result = await CheckAsync(zone, "192.0.2.7", "", "mta.sender.example");

        Assert.Equal((RmxResultCode.Granted, "mta.sender.example"), (result.Code, result.Domain));
    }

    [Fact]
    public async Task AtMostTenDnsQueryingEntries()
    {
        var entries = string.Join(' ', Enumerable.Range(1, 11).Select(i => $"host:h{i}.example"));
        var result = await CheckAsync(Zone($"_rmx.sender TXT \"{entries}\"\n"), "192.0.2.1", "a@sender.example");

        Assert.Equal(RmxResultCode.BadData, result.Code);
        Assert.Equal("host:h11.example", result.Entry);
    }

    [Fact]
    public void TheHeaderHasTheDraftsForm()
    {
        var result = new RmxResult(RmxResultCode.Granted, "sender.example", "ipv4:192.0.2.0/24", null, []);

        var header = RmxHeader.Format(result, IPAddress.Parse("192.0.2.1"), "mx.receiver.example", new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal("X-RMX: Granted addr 192.0.2.1 by mx.receiver.example on Sun, 29 Nov 2026 12:00:00 +0000 mechanism ipv4:192.0.2.0/24", header);
    }
}
