using System.Net;
using Vouch.Audit;
using Vouch.Dns;
using Vouch.Dns.Zones;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Audit;

public sealed class SpfFlattenerTests
{
    private const string Domain = "owner.example";

    // 11 DNS-querying terms (RFC 7208 §4.6.4): the root's 4 includes and mx, 2 a terms, a nested own include and its
    // mx, the provider's nested include. The root's mx is the 11th: permerror for everyone not matched before it.
    private const string OverTheLimit = """
        $TTL 300
        $ORIGIN owner.example.
        @     TXT  "v=spf1 ip4:192.0.2.1 include:_s1.owner.example include:_s2.owner.example include:_s3.owner.example include:_spf.mailer.test mx -all"
        @     MX   10 mx1
        _s1   TXT  "v=spf1 ip4:198.51.100.0/28 a:out1.owner.example -all"
        _s2   TXT  "v=spf1 a:out2.owner.example/30 ip6:2001:db8:2::/48 ~all"
        _s3   TXT  "v=spf1 ip4:198.51.100.64 a:out3.owner.example include:_s4.owner.example -all"
        _s4   TXT  "v=spf1 mx:owner.example ?all"
        out1  A    198.51.100.20
        out2  A    198.51.100.33
        out3  A    198.51.100.70
        out3  AAAA 2001:db8:3::70
        mx1   A    198.51.100.80
        mx1   AAAA 2001:db8:1::80
        $ORIGIN mailer.test.
        _spf  TXT  "v=spf1 ip4:203.0.113.0/24 include:_net.mailer.test ~all"
        _net  TXT  "v=spf1 ip6:2001:db8:99::/48 -all"
        """;

    private static readonly string[] OwnAddresses =
    [
        "192.0.2.1", "198.51.100.5", "198.51.100.20", "198.51.100.34", "2001:db8:2::1", "198.51.100.64", "198.51.100.70",
        "2001:db8:3::70", "198.51.100.80", "2001:db8:1::80",
    ];

    private static readonly string[] ProviderAddresses = ["203.0.113.9", "2001:db8:99::5"];

    private static readonly string[] Outsiders = ["192.0.2.200", "198.51.100.37", "2001:db8:4::1"];

    private static readonly string[] Everyone = [.. OwnAddresses, .. ProviderAddresses, .. Outsiders];

    private static ZoneData World(string text)
    {
        var data = new ZoneData();
        data.LoadText(text, "world.zone");
        return data;
    }

    private static Task<SpfRecordReport> AuditAsync(IDnsResolver resolver, params string[] addresses) =>
        new SpfRecordAudit(resolver, SpfOptions.Default, TestSuffixes.List)
            .AuditAsync(Domain, addresses.Select(IPAddress.Parse).ToArray(), CancellationToken.None);

    private static Task<FlattenedSpf?> FlattenAsync(SpfRecordReport report, IDnsResolver resolver) =>
        SpfFlattener.FlattenAsync(report, resolver, SpfOptions.Default, TestSuffixes.List, CancellationToken.None);

    private static async Task<FlattenedSpf?> AuditAndFlattenAsync(IDnsResolver resolver, params string[] addresses) =>
        await FlattenAsync(await AuditAsync(resolver, addresses), resolver);

    /// <summary>The DNS with the root's TXT record replaced by the proposal, as it would be once published.</summary>
    private static ProposedDnsResolver Published(IDnsResolver resolver, FlattenedSpf flattened) =>
        new(resolver, [new ResourceRecord(Domain, DnsRecordType.TXT, ZoneLine.Ttl, new TxtRecord(AuditFix.TxtStrings(flattened.After)))]);

    private static async Task<SpfResultCode> EvaluateAsync(IDnsResolver resolver, string address, SpfOptions? options = null)
    {
        var result = await new SpfChecker(resolver, options).CheckMailFromAsync(IPAddress.Parse(address), "someone@" + Domain, "mail." + Domain, CancellationToken.None);
        return result.Code;
    }

    /// <summary>
    /// The root's first match per address in the audited tree, the lookup limit left aside: the term's qualifier
    /// decides (for an include, its matches are where its target passes, RFC 7208 §5.2).
    /// </summary>
    private static bool TreePasses(SpfRecordReport report, string address)
    {
        var ip = IPAddress.Parse(address);
        var first = report.Tree!.Terms.FirstOrDefault(t => !t.Notes.HasFlag(SpfTermNotes.NeverReached) && t.Matches.Contains(ip));
        return first is not null && first.Text[0] is not ('-' or '~' or '?');
    }

    /// <summary>The proposal gives every address what the original gives when receivers allow more lookups.</summary>
    private static async Task AssertSameResultsAsync(IDnsResolver resolver, FlattenedSpf flattened, IEnumerable<string> addresses)
    {
        var lenient = SpfOptions.Default with { MaxDnsLookups = 30 };
        var published = Published(resolver, flattened);
        foreach (var address in addresses)
        {
            Assert.Equal((address, await EvaluateAsync(resolver, address, lenient)), (address, await EvaluateAsync(published, address)));
        }
    }

    [Fact]
    public async Task OwnIncludesAreFlattenedIntoTheirAddressesAndTheProviderIsKept()
    {
        var resolver = new ZoneResolver(World(OverTheLimit));
        var report = await AuditAsync(resolver, Everyone);
        Assert.Equal(11, report.DnsLookups);

        var flattened = await FlattenAsync(report, resolver);

        Assert.NotNull(flattened);
        Assert.Equal(Domain, flattened.Domain);
        Assert.Equal(report.RecordText, flattened.Before);
        Assert.Equal(
            "v=spf1 ip4:192.0.2.1 ip4:198.51.100.0/28 ip4:198.51.100.20 ip4:198.51.100.32/30 ip6:2001:db8:2::/48 ip4:198.51.100.64 ip4:198.51.100.70 ip6:2001:db8:3::70 "
            + "ip4:198.51.100.80 ip6:2001:db8:1::80 include:_spf.mailer.test mx -all",
            flattened.After);
        Assert.Equal(["_s1.owner.example", "_s2.owner.example", "_s3.owner.example", "_s4.owner.example"], flattened.Flattened);
        Assert.Equal(["_spf.mailer.test"], flattened.Kept);
        Assert.Equal((11, 3), (flattened.LookupsBefore, flattened.LookupsAfter));
        Assert.Equal(flattened.After.Length, flattened.Bytes);

        // Re-audited as published, the proposal costs what it says and stays within the limit.
        var again = await AuditAsync(Published(resolver, flattened), Everyone);
        Assert.Equal(flattened.LookupsAfter, again.DnsLookups);
        Assert.DoesNotContain(again.Findings, f => f.Id is "SPF-LOOKUPS" or "SPF-NEAR-LIMIT");
    }

    [Fact]
    public async Task TheFlattenedRecordPassesExactlyTheAddressesTheOriginalTreeMatched()
    {
        var resolver = new ZoneResolver(World(OverTheLimit));
        var report = await AuditAsync(resolver, Everyone);
        var flattened = await FlattenAsync(report, resolver);
        Assert.NotNull(flattened);
        var published = Published(resolver, flattened);

        foreach (var address in Everyone)
        {
            var passes = await EvaluateAsync(published, address) == SpfResultCode.Pass;
            Assert.Equal((address, TreePasses(report, address)), (address, passes));
        }

        Assert.All(OwnAddresses.Concat(ProviderAddresses), a => Assert.True(TreePasses(report, a), a));
        foreach (var outsider in Outsiders)
        {
            // Today the 11th lookup turns the outsider's fail into permerror (RFC 7208 §4.6.4); flattened, it fails.
            Assert.Equal(SpfResultCode.PermError, await EvaluateAsync(resolver, outsider));
            Assert.Equal(SpfResultCode.Fail, await EvaluateAsync(published, outsider));
        }

        await AssertSameResultsAsync(resolver, flattened, Everyone);
    }

    [Fact]
    public async Task TheIncludesQualifierCarriesOverAndAddressesAlreadyListedAreNotRepeated()
    {
        var zone = new TestZone()
            .Txt(Domain, "v=spf1 ip4:198.51.100.0/25 -include:_bad.owner.example include:_s1.owner.example include:_s1.owner.example ~all")
            .Txt("_bad.owner.example", "v=spf1 ip4:198.51.100.130 -all")
            .Txt("_s1.owner.example", "v=spf1 ip4:198.51.100.7 ip4:198.51.100.130 ip4:198.51.100.131 -all");
        string[] addresses = ["198.51.100.7", "198.51.100.130", "198.51.100.131", "198.51.100.200"];

        var flattened = await AuditAndFlattenAsync(zone.Resolver(), addresses);

        Assert.NotNull(flattened);
        Assert.Equal("v=spf1 ip4:198.51.100.0/25 -ip4:198.51.100.130 ip4:198.51.100.131 ~all", flattened.After);
        Assert.Equal(["_bad.owner.example", "_s1.owner.example"], flattened.Flattened);
        Assert.Empty(flattened.Kept);
        Assert.Equal((3, 0), (flattened.LookupsBefore, flattened.LookupsAfter));
        await AssertSameResultsAsync(zone.Resolver(), flattened, addresses);
    }

    [Fact]
    public async Task AProvidersIncludeInsideAnOwnIncludeMovesUpWithItsCost()
    {
        var zone = new TestZone()
            .Txt(Domain, "v=spf1 include:_s1.owner.example -all")
            .Txt("_s1.owner.example", "v=spf1 ip4:198.51.100.7 include:_spf.mailer.test -all")
            .Txt("_spf.mailer.test", "v=spf1 a:out.mailer.test -all")
            .A("out.mailer.test", "203.0.113.9");
        string[] addresses = ["198.51.100.7", "203.0.113.9", "192.0.2.200"];

        var flattened = await AuditAndFlattenAsync(zone.Resolver(), addresses);

        Assert.NotNull(flattened);
        Assert.Equal("v=spf1 ip4:198.51.100.7 include:_spf.mailer.test -all", flattened.After);
        Assert.Equal(["_spf.mailer.test"], flattened.Kept);
        Assert.Equal((3, 2), (flattened.LookupsBefore, flattened.LookupsAfter));
        await AssertSameResultsAsync(zone.Resolver(), flattened, addresses);
    }

    [Theory]
    [InlineData("v=spf1 include:_spf.mailer.test include:_spf.other.test -all")]
    [InlineData("v=spf1 ip4:192.0.2.1 a:out.owner.example mx -all")]
    public async Task NothingToFlattenIsNull(string record)
    {
        var zone = new TestZone()
            .Txt(Domain, record)
            .Mx(Domain, 10, "mx1.owner.example").A("mx1.owner.example", "198.51.100.80").A("out.owner.example", "198.51.100.81")
            .Txt("_spf.mailer.test", "v=spf1 ip4:203.0.113.0/24 -all")
            .Txt("_spf.other.test", "v=spf1 ip4:233.252.0.0/24 -all");

        Assert.Null(await AuditAndFlattenAsync(zone.Resolver(), "192.0.2.1"));
    }

    [Theory]
    [InlineData("v=spf1 exists:%{i}._e.owner.example ip4:198.51.100.2 -all")]
    [InlineData("v=spf1 a:%{d}.hosts.owner.example -all")]
    [InlineData("v=spf1 ptr:owner.example -all")]
    [InlineData("v=spf1 -ip4:198.51.100.9 ip4:198.51.100.0/24 -all")]
    [InlineData("v=spf1 ip4:198.51.100.2 +all")]
    [InlineData("v=spf1 redirect=_r.owner.example")]
    [InlineData("v=spf1 include:%{l}._u.owner.example -all")]
    public async Task AnOwnIncludeThatCannotBeFlattenedFaithfullyIsKept(string record)
    {
        var zone = new TestZone()
            .Txt(Domain, "v=spf1 include:_s1.owner.example include:_k.owner.example -all")
            .Txt("_s1.owner.example", "v=spf1 ip4:198.51.100.1 -all")
            .Txt("_k.owner.example", record)
            .Txt("_r.owner.example", "v=spf1 ip4:198.51.100.3 -all")
            .A("198.51.100.9._e.owner.example", "127.0.0.2");
        string[] addresses = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.9", "198.51.100.10", "192.0.2.200"];

        var flattened = await AuditAndFlattenAsync(zone.Resolver(), addresses);

        Assert.NotNull(flattened);
        Assert.Equal("v=spf1 ip4:198.51.100.1 include:_k.owner.example -all", flattened.After);
        Assert.Equal(["_s1.owner.example"], flattened.Flattened);
        Assert.Equal(["_k.owner.example"], flattened.Kept);
        await AssertSameResultsAsync(zone.Resolver(), flattened, addresses);
    }

    [Fact]
    public async Task AnIncludeWhoseTargetHoldsMacrosIsKeptAsWritten()
    {
        var zone = new TestZone()
            .Txt(Domain, "v=spf1 include:_s1.owner.example include:%{l}._u.owner.example -all")
            .Txt("_s1.owner.example", "v=spf1 ip4:198.51.100.1 -all")
            .Txt("postmaster._u.owner.example", "v=spf1 ip4:198.51.100.2 -all");

        var flattened = await AuditAndFlattenAsync(zone.Resolver(), "198.51.100.1");

        Assert.NotNull(flattened);
        Assert.Equal("v=spf1 ip4:198.51.100.1 include:%{l}._u.owner.example -all", flattened.After);
        Assert.Equal(["%{l}._u.owner.example"], flattened.Kept);
    }

    [Theory]
    [InlineData("_s1.owner.example", DnsStatus.ServerFailure)]
    [InlineData("out1.owner.example", DnsStatus.Timeout)]
    [InlineData("mx1.owner.example", DnsStatus.ServerFailure)]
    public async Task DnsTroubleOnAnOwnIncludeIsNull(string failing, DnsStatus status)
    {
        var data = World(OverTheLimit);
        data.InjectFailure(failing, status);

        Assert.Null(await AuditAndFlattenAsync(new ZoneResolver(data), Everyone));
    }

    [Fact]
    public async Task DnsTroubleWhileFlatteningIsNullEvenAfterAHealthyAudit()
    {
        var report = await AuditAsync(new ZoneResolver(World(OverTheLimit)), Everyone);
        var later = World(OverTheLimit);
        later.InjectFailure("out3.owner.example", DnsStatus.Timeout, DnsRecordType.AAAA);

        Assert.Null(await FlattenAsync(report, new ZoneResolver(later)));
    }
}
