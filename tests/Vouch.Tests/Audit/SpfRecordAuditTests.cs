using System.Net;
using Vouch.Audit;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Audit;

public sealed class SpfRecordAuditTests
{
    private static Task<SpfRecordReport> AuditAsync(TestZone zone, params string[] addresses) =>
        AuditAsync(zone.Resolver(), addresses);

    private static Task<SpfRecordReport> AuditAsync(IDnsResolver resolver, params string[] addresses) =>
        new SpfRecordAudit(resolver, SpfOptions.Default, TestSuffixes.List)
            .AuditAsync("example.com", addresses.Select(IPAddress.Parse).ToArray(), CancellationToken.None);

    private static AuditFinding Single(SpfRecordReport report, string id) => Assert.Single(report.Findings, f => f.Id == id);

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Fact]
    public async Task TheBudgetTreeCountsEachTermInOrderAndTellsOwnFromProvider()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 mx include:_spf.provider.example include:esp.example ip4:192.0.2.10 ~all")
            .Mx("example.com", 10, "mx1.example.com").Mx("example.com", 20, "mx2.example.com")
            .A("mx1.example.com", "198.51.100.7").A("mx2.example.com", "198.51.100.8")
            .Txt("_spf.provider.example", "v=spf1 include:_net1.provider.example include:_net2.provider.example ~all")
            .Txt("_net1.provider.example", "v=spf1 ip4:203.0.113.0/24 ~all")
            .Txt("_net2.provider.example", "v=spf1 ip6:2001:db8::/32 ~all")
            .Txt("esp.example", "v=spf1 ip4:233.252.0.0/24 a:out.esp.example -all")
            .A("out.esp.example", "233.252.1.1");

        var report = await AuditAsync(zone, "198.51.100.7", "192.0.2.10", "203.0.113.5");

        Assert.Equal(6, report.DnsLookups);
        Assert.Equal(0, report.VoidLookups);
        var terms = report.Tree!.Terms;
        Assert.Equal(["mx", "include:_spf.provider.example", "include:esp.example", "ip4:192.0.2.10", "~all"], terms.Select(t => t.Text));
        Assert.Equal([1, 1, 1, 0, 0], terms.Select(t => t.Cost));
        Assert.Equal([1, 3, 2, 0, 0], terms.Select(t => t.SubtreeCost));
        Assert.Equal([1, 4, 6, 6, 6], terms.Select(t => t.RunningTotal));
        Assert.Equal([Ip("198.51.100.7")], terms[0].Matches);
        Assert.Equal([Ip("203.0.113.5")], terms[1].Matches);
        Assert.Empty(terms[2].Matches);
        Assert.Equal([Ip("192.0.2.10")], terms[3].Matches);
        Assert.Equal(SpfTermNotes.None, terms[0].Notes);
        Assert.Equal(SpfTermNotes.Provider, terms[1].Notes);
        Assert.Equal(SpfTermNotes.Provider, terms[2].Notes);
        Assert.Equal("2 MX host(s), 2 address(es)", terms[0].Detail);
        Assert.Equal([Ip("198.51.100.7"), Ip("192.0.2.10"), Ip("203.0.113.5")], report.Tree.PassingAddresses);

        Assert.Equal([Ip("198.51.100.7"), Ip("198.51.100.8"), Ip("192.0.2.10")], report.OwnAddresses);
        Assert.Empty(report.OwnNetworks);
        Assert.Collection(report.Providers,
            p =>
            {
                Assert.Equal(("_spf.provider.example", "provider.example", "example.com"), (p.Domain, p.OrganizationalDomain, p.IncludedFrom));
                Assert.Equal((1, 1, 256L, UInt128.One << 96), (p.Ip4Terms, p.Ip6Terms, p.Ip4Addresses, p.Ip6Addresses));
                Assert.Equal((3, 3), (p.Records, p.Lookups));
                Assert.Equal([Ip("203.0.113.5")], p.MatchedAddresses);
            },
            p =>
            {
                Assert.Equal(("esp.example", 1, 0, 256L), (p.Domain, p.Ip4Terms, p.Ip6Terms, p.Ip4Addresses));
                Assert.Equal((1, 2), (p.Records, p.Lookups));
            });
        Assert.DoesNotContain(report.Findings, f => f.Severity is FindingSeverity.Error or FindingSeverity.TestError);
    }

    [Fact]
    public async Task OwnNetworksAndOwnIncludesAreTheOwnersProviderRangesAreNot()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 ip4:192.0.2.0/28 ip6:2001:db8:1::25 a:out.example.com/30 include:_out.example.com include:_spf.provider.example -all")
            .A("out.example.com", "192.0.2.100")
            .Txt("_out.example.com", "v=spf1 ip4:198.51.100.1 ip6:2001:db8:2::/48 -all")
            .Txt("_spf.provider.example", "v=spf1 ip4:203.0.113.9 a:relay.provider.example -all")
            .A("relay.provider.example", "203.0.113.10");

        var report = await AuditAsync(zone);

        Assert.Equal([Ip("2001:db8:1::25"), Ip("198.51.100.1")], report.OwnAddresses);
        Assert.Equal(["192.0.2.0/28", "192.0.2.100/30", "2001:db8:2::/48"], report.OwnNetworks.Select(n => n.ToString()));
        var provider = Assert.Single(report.Providers);
        Assert.Equal(("_spf.provider.example", 1, 2), (provider.Domain, provider.Ip4Terms, provider.Lookups));
    }

    [Fact]
    public async Task APastTheLimitTreeIsShownWholeWithTheTermsBeyondMarked()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 ip4:192.0.2.1 include:a.example.net include:b.example.net ip4:192.0.2.99 -all")
            .Txt("a.example.net", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 6).Select(i => $"a:h{i}.example.net")) + " -all")
            .Txt("b.example.net", "v=spf1 a:h7.example.net a:h8.example.net a:h9.example.net -all");
        for (var i = 1; i <= 9; i++)
        {
            zone.A($"h{i}.example.net", $"198.51.100.{i}");
        }

        var report = await AuditAsync(zone, "192.0.2.1", "192.0.2.99");

        Assert.Equal(11, report.DnsLookups);
        var root = report.Tree!.Terms;
        Assert.Equal([0, 7, 11, 11, 11], root.Select(t => t.RunningTotal));
        var b = root[2].Child!.Terms;
        Assert.Equal(["a:h7.example.net", "a:h8.example.net", "a:h9.example.net", "-all"], b.Select(t => t.Text));
        Assert.Equal([false, false, true, true], b.Select(t => t.Notes.HasFlag(SpfTermNotes.BeyondLimit)));
        Assert.Equal("1 address(es)", b[2].Detail);
        Assert.True(root[3].Notes.HasFlag(SpfTermNotes.BeyondLimit));
        Assert.Equal([Ip("192.0.2.99")], root[3].Matches);

        // Evaluation short-circuits: the first address passes before the limit, the second never gets there.
        Assert.Equal([Ip("192.0.2.1")], report.Tree.PassingAddresses);
        var finding = Single(report, "SPF-LOOKUPS");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("RFC 7208 §4.6.4", finding.Rfc);
        Assert.StartsWith("11/10; first over the limit: a:h9.example.net (b.example.net)", finding.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Id == "SPF-NEAR-LIMIT");
    }

    [Fact]
    public async Task TheEleventhTermIsPermerrorEvenForTheAddressItMatches()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"a:h{i}.example.com")) + " -all");
        for (var i = 1; i <= 11; i++)
        {
            zone.A($"h{i}.example.com", $"192.0.2.{i}");
        }

        var report = await AuditAsync(zone, "192.0.2.10", "192.0.2.11");

        Assert.Equal([Ip("192.0.2.11")], report.Tree!.Terms[10].Matches);
        Assert.Equal(SpfTermNotes.BeyondLimit, report.Tree.Terms[10].Notes);
        Assert.Equal([Ip("192.0.2.10")], report.Tree.PassingAddresses);
    }

    [Fact]
    public async Task EightLookupsAreNearTheLimit()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 8).Select(i => $"a:h{i}.example.com")) + " -all");
        for (var i = 1; i <= 8; i++)
        {
            zone.A($"h{i}.example.com", $"192.0.2.{i}");
        }

        var finding = Single(await AuditAsync(zone), "SPF-NEAR-LIMIT");

        Assert.Equal((FindingSeverity.Warn, "8/10"), (finding.Severity, finding.Evidence));
    }

    [Fact]
    public async Task NoRecordIsSpfNoneButADnsFailureIsATestError()
    {
        var none = await AuditAsync(new TestZone().Txt("example.com", "google-site-verification=abc"));
        var failed = await AuditAsync(new TestZone().Fail("example.com", DnsStatus.ServerFailure, DnsRecordType.TXT));
        var timedOut = await AuditAsync(new TestZone().Fail("example.com", DnsStatus.Timeout, DnsRecordType.TXT));

        var finding = Single(none, "SPF-NONE");
        Assert.Equal((FindingSeverity.Error, "1 TXT record(s), none starting with v=spf1"), (finding.Severity, finding.Evidence));
        Assert.Null(none.Tree);
        Assert.DoesNotContain(failed.Findings, f => f.Id == "SPF-NONE");
        Assert.Equal((FindingSeverity.TestError, "TXT example.com"), (Single(failed, "DNS-SERVFAIL").Severity, Single(failed, "DNS-SERVFAIL").Subject));
        Assert.Equal(FindingSeverity.TestError, Single(timedOut, "DNS-TIMEOUT").Severity);
        Assert.DoesNotContain(timedOut.Findings, f => f.Id == "SPF-NONE");
    }

    [Fact]
    public async Task ADnsFailureDeepInTheTreeNamesTheQuery()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 a:out.example.com include:_spf.provider.example -all")
            .Fail("out.example.com", DnsStatus.Timeout)
            .Fail("_spf.provider.example", DnsStatus.ServerFailure);

        var report = await AuditAsync(zone);

        Assert.Contains(report.Findings, f => f is { Id: "DNS-TIMEOUT", Subject: "A out.example.com", Severity: FindingSeverity.TestError });
        Assert.Contains(report.Findings, f => f is { Id: "DNS-SERVFAIL", Subject: "TXT _spf.provider.example", Severity: FindingSeverity.TestError });
        Assert.DoesNotContain(report.Findings, f => f.Id is "SPF-DEAD-TARGET" or "SPF-VOID");
        Assert.True(report.Tree!.Terms[0].Notes.HasFlag(SpfTermNotes.DnsFailure));
    }

    [Fact]
    public async Task TwoRecordsArePermerror()
    {
        var report = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 -all").Txt("example.com", "v=spf1 ip4:192.0.2.1 -all"));

        var finding = Single(report, "SPF-MULTI");
        Assert.Equal((FindingSeverity.Error, "RFC 7208 §4.5"), (finding.Severity, finding.Rfc));
        Assert.Contains("v=spf1 ip4:192.0.2.1 -all", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASyntaxErrorGivesItsColumnAndTheRecordStillShows()
    {
        var report = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.1/33 -all"));

        var finding = Single(report, "SPF-SYNTAX");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.StartsWith("column 21:", finding.Evidence, StringComparison.Ordinal);
        Assert.Equal("v=spf1 ip4:192.0.2.1/33 -all", report.RecordText);
    }

    [Fact]
    public async Task LongStringsAndBigRecordsAreFlagged()
    {
        var ips = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"ip4:198.51.100.{i}"));
        var record = "v=spf1 " + ips + " -all";
        var oneString = await AuditAsync(new TestZone().Txt("example.com", record));
        var split = await AuditAsync(new TestZone().Txt("example.com", record[..250], record[250..500], record[500..]));
        var small = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 -all"));

        Assert.Equal(FindingSeverity.Error, Single(oneString, "SPF-STRING255").Severity);
        Assert.DoesNotContain(split.Findings, f => f.Id == "SPF-STRING255");
        var size = Single(split, "SPF-SIZE");
        Assert.Equal((FindingSeverity.Warn, "RFC 7208 §3.4"), (size.Severity, size.Rfc));
        Assert.Contains($"record {record.Length} bytes", size.Evidence, StringComparison.Ordinal);
        Assert.Contains("needs TCP", size.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(small.Findings, f => f.Id is "SPF-SIZE" or "SPF-STRING255");
    }

    [Fact]
    public async Task VoidLookupsAreCountedWithTheirTerms()
    {
        var two = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 a:gone1.example.com mx:gone2.example.com ip4:192.0.2.1 -all"));
        var three = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 a:gone1.example.com mx:gone2.example.com a:gone3.example.com ip4:192.0.2.1 -all"), "192.0.2.1");

        var warn = Single(two, "SPF-VOID");
        Assert.Equal((FindingSeverity.Warn, "2/2: a:gone1.example.com (example.com), mx:gone2.example.com (example.com)"), (warn.Severity, warn.Evidence));
        Assert.Equal(2, two.Findings.Count(f => f is { Id: "SPF-DEAD-TARGET", Severity: FindingSeverity.Warn }));
        Assert.True(two.Tree!.Terms[0].Notes.HasFlag(SpfTermNotes.Void | SpfTermNotes.DeadTarget));
        Assert.Equal(1, two.Tree.Terms[1].VoidLookups);

        var error = Single(three, "SPF-VOID");
        Assert.Equal(FindingSeverity.Error, error.Severity);
        Assert.StartsWith("3/2", error.Evidence, StringComparison.Ordinal);
        Assert.True(three.Tree!.Terms[2].Notes.HasFlag(SpfTermNotes.BeyondLimit));
        Assert.True(three.Tree.Terms[3].Notes.HasFlag(SpfTermNotes.BeyondLimit));
        Assert.Empty(three.Tree.PassingAddresses);
    }

    [Fact]
    public async Task LoopsAndDuplicateIncludesAreFound()
    {
        var loop = await AuditAsync(new TestZone()
            .Txt("example.com", "v=spf1 include:_a.example.com -all")
            .Txt("_a.example.com", "v=spf1 include:example.com -all"));
        var duplicate = await AuditAsync(new TestZone()
            .Txt("example.com", "v=spf1 include:_spf.provider.example include:_x.example.com include:_spf.provider.example -all")
            .Txt("_x.example.com", "v=spf1 include:_spf.provider.example -all")
            .Txt("_spf.provider.example", "v=spf1 a:h.provider.example -all")
            .A("h.provider.example", "203.0.113.1"));

        var finding = Single(loop, "SPF-LOOP");
        Assert.Equal((FindingSeverity.Error, "loop: example.com → _a.example.com → example.com"), (finding.Severity, finding.Evidence));
        Assert.True(loop.Tree!.Terms[0].Child!.Terms[0].Notes.HasFlag(SpfTermNotes.Loop));

        Assert.Equal(2, duplicate.Findings.Count(f => f is { Id: "SPF-DUP-INCLUDE", Severity: FindingSeverity.Warn }));
        Assert.Equal(7, duplicate.DnsLookups);
        Assert.Equal([2, 5, 7, 7], duplicate.Tree!.Terms.Select(t => t.RunningTotal));
        Assert.True(duplicate.Tree.Terms[2].Notes.HasFlag(SpfTermNotes.DuplicateInclude));
        Assert.Same(duplicate.Tree.Terms[0].Child, duplicate.Tree.Terms[2].Child);
    }

    [Fact]
    public async Task AnIncludeOrRedirectWithoutARecordIsADeadTarget()
    {
        var include = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 include:_gone.example.com -all"));
        var redirect = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 redirect=_gone.example.com"));

        var a = Single(include, "SPF-DEAD-TARGET");
        Assert.Equal((FindingSeverity.Error, "RFC 7208 §5.2", "_gone.example.com"), (a.Severity, a.Rfc, a.Subject));
        Assert.True(include.Tree!.Terms[0].Notes.HasFlag(SpfTermNotes.DeadTarget));
        Assert.Equal("RFC 7208 §6.1", Single(redirect, "SPF-DEAD-TARGET").Rfc);
        Assert.DoesNotContain(redirect.Findings, f => f.Id == "SPF-ALL-MISSING");
    }

    [Fact]
    public async Task PtrAndWeakOrMissingAllAreFlagged()
    {
        var ptr = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 ptr -all"));
        var plus = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 include:_x.example.com -all").Txt("_x.example.com", "v=spf1 +all"));
        var neutral = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.1 ?all"));
        var missing = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.1"));
        var innerNeutral = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 include:_x.example.com -all").Txt("_x.example.com", "v=spf1 ip4:192.0.2.1 ?all"));

        Assert.Equal((FindingSeverity.Warn, "RFC 7208 §5.5"), (Single(ptr, "SPF-PTR").Severity, Single(ptr, "SPF-PTR").Rfc));
        Assert.Equal((FindingSeverity.Error, "_x.example.com"), (Single(plus, "SPF-ALL-WEAK").Severity, Single(plus, "SPF-ALL-WEAK").Subject));
        Assert.Equal((FindingSeverity.Warn, "?all"), (Single(neutral, "SPF-ALL-WEAK").Severity, Single(neutral, "SPF-ALL-WEAK").Evidence));
        Assert.Equal(FindingSeverity.Warn, Single(missing, "SPF-ALL-MISSING").Severity);
        Assert.DoesNotContain(innerNeutral.Findings, f => f.Id is "SPF-ALL-WEAK" or "SPF-ALL-MISSING");
    }

    [Fact]
    public async Task TermsAfterAllAreNeverReachedNorCounted()
    {
        var report = await AuditAsync(new TestZone()
            .Txt("example.com", "v=spf1 -all include:_x.example.com a:h.example.com")
            .Txt("_x.example.com", "v=spf1 a:y.example.com -all")
            .A("h.example.com", "192.0.2.1"));

        var finding = Single(report, "SPF-AFTER-ALL");
        Assert.Equal((FindingSeverity.Warn, "include:_x.example.com a:h.example.com"), (finding.Severity, finding.Evidence));
        Assert.Equal(0, report.DnsLookups);
        Assert.Equal(0, report.VoidLookups);
        Assert.All(report.Tree!.Terms.Skip(1), t => Assert.True(t.Notes.HasFlag(SpfTermNotes.NeverReached)));
        Assert.NotNull(report.Tree.Terms[1].Child);
    }

    [Fact]
    public async Task MacrosAreShownExpandedForEachAuditedAddress()
    {
        var report = await AuditAsync(new TestZone()
            .Txt("example.com", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all")
            .A("10.2.0.192.in-addr._spf.example.com", "127.0.0.2"), "192.0.2.10", "192.0.2.11");

        var finding = Single(report, "SPF-MACRO");
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal("192.0.2.10 → 10.2.0.192.in-addr._spf.example.com; 192.0.2.11 → 11.2.0.192.in-addr._spf.example.com", finding.Evidence);
        Assert.Equal([Ip("192.0.2.10")], report.Tree!.Terms[0].Matches);
        Assert.Equal([Ip("192.0.2.10")], report.Tree.PassingAddresses);
        Assert.Equal(0, report.VoidLookups);
    }

    [Fact]
    public async Task MoreThanTenMxHostsIsPermerror()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 mx -all");
        for (var i = 1; i <= 11; i++)
        {
            zone.Mx("example.com", (ushort)i, $"mx{i}.example.com").A($"mx{i}.example.com", $"192.0.2.{i}");
        }

        var finding = Single(await AuditAsync(zone), "SPF-MX-ADDR");

        Assert.Equal((FindingSeverity.Error, "RFC 7208 §4.6.4"), (finding.Severity, finding.Rfc));
        Assert.StartsWith("11 MX:", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileRecordsDoNotCrash()
    {
        var control = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.1\u0000\u001b[31m -all"));
        var huge = await AuditAsync(new TestZone().Txt("example.com", ["v=spf1", .. Enumerable.Range(0, 400).Select(i => $" include:h{i}.example.com")]));
        var longMacro = await AuditAsync(new TestZone().Txt("example.com", "v=spf1 include:%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.%{s}.example.com -all"), "192.0.2.1");
        var diamond = new TestZone();
        for (var level = 0; level < 30; level++)
        {
            var name = level == 0 ? "example.com" : $"l{level}.example.com";
            diamond.Txt(name, $"v=spf1 include:l{level + 1}.example.com include:l{level + 1}.example.com -all");
        }

        var deep = await AuditAsync(diamond);

        Assert.Equal(FindingSeverity.Error, Single(control, "SPF-SYNTAX").Severity);
        Assert.Equal(400, huge.DnsLookups);
        Assert.InRange(huge.Findings.Count(f => f.Id == "SPF-DEAD-TARGET"), 90, 100);
        Assert.Contains(huge.Findings, f => f.Id == "SPF-TREE-CUT");
        Assert.Contains(longMacro.Findings, f => f.Id == "SPF-MACRO");
        Assert.All(longMacro.Tree!.Terms.Where(t => t.Target is not null), t => Assert.True(t.Target!.Length <= DnsName.MaxLength));
        Assert.Contains(deep.Findings, f => f.Id == "SPF-TREE-CUT");
    }

    [Fact]
    public async Task CancellingStopsAResolverThatNeverAnswers()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var audit = new SpfRecordAudit(new SilentResolver(), SpfOptions.Default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => audit.AuditAsync("example.com", [], cancellation.Token));
    }
}
