using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vouch.Dns;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Spf;

public sealed class SpfEvaluationTests
{
    private static Task<SpfResult> CheckAsync(TestZone zone, string ip, string sender, string helo = "mail.example.com", SpfOptions? options = null) =>
        new SpfChecker(zone.Resolver(), options).CheckMailFromAsync(IPAddress.Parse(ip), sender, helo, CancellationToken.None);

    [Fact]
    public async Task IncludePassReportsTheOuterDirectiveAndTracesInPreOrder()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 a include:_spf.example.net -all")
            .A("example.com", "192.0.2.1")
            .Txt("_spf.example.net", "v=spf1 ip4:198.51.100.0/24 -all");

        var result = await CheckAsync(zone, "198.51.100.7", "alice@example.com");

        Assert.Equal(SpfResultCode.Pass, result.Code);
        Assert.Equal("include:_spf.example.net", result.Mechanism);
        Assert.Equal(2, result.DnsLookups);
        Assert.Equal(0, result.VoidLookups);
        Assert.Collection(result.Trace,
            e => Assert.Equal(("example.com", DnsRecordType.TXT, DnsStatus.Records), Query(e)),
            e => Assert.Equal("v=spf1 a include:_spf.example.net -all", ((SpfRecordEvent)e).Text),
            e => Assert.Equal(("a", SpfTermOutcome.NoMatch, 0), Term(e)),
            e => Assert.Equal(("example.com", DnsRecordType.A, DnsStatus.Records), Query(e)),
            e => Assert.Equal(("include:_spf.example.net", SpfTermOutcome.Match, 0), Term(e)),
            e => Assert.Equal(("_spf.example.net", DnsRecordType.TXT, DnsStatus.Records), Query(e)),
            e => Assert.Equal(1, e.Depth),
            e => Assert.Equal(("ip4:198.51.100.0/24", SpfTermOutcome.Match, 1), Term(e)),
            e => Assert.Equal(SpfResultCode.Pass, ((SpfResultEvent)e).Code),
            e => Assert.Equal((0, SpfResultCode.Pass), (e.Depth, ((SpfResultEvent)e).Code)));
    }

    [Fact]
    public async Task TheEleventhDnsQueryingTermIsPermerror()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"a:h{i}.example.com")) + " -all");
        for (var i = 1; i <= 11; i++)
        {
            zone.A($"h{i}.example.com", "192.0.2.1");
        }

        var result = await CheckAsync(zone, "192.0.2.99", "alice@example.com");

        Assert.Equal(SpfResultCode.PermError, result.Code);
        Assert.Equal(11, result.DnsLookups);
        Assert.Contains("more than 10 DNS-querying terms", result.Problem, StringComparison.Ordinal);
        Assert.Equal("a:h11.example.com", result.Mechanism);
    }

    [Fact]
    public async Task TheLookupLimitCoversTheWholeIncludeTree()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 include:loop.example.com -all").Txt("loop.example.com", "v=spf1 include:loop.example.com -all");

        var result = await CheckAsync(zone, "192.0.2.99", "alice@example.com");

        Assert.Equal(SpfResultCode.PermError, result.Code);
        Assert.Equal(11, result.DnsLookups);
    }

    [Fact]
    public async Task TheThirdVoidLookupIsPermerror()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com -all");

        var result = await CheckAsync(zone, "192.0.2.99", "alice@example.com");

        Assert.Equal(SpfResultCode.PermError, result.Code);
        Assert.Equal(3, result.VoidLookups);
        Assert.Contains("void lookups", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyAddressAnswersOfMxHostsAreNotVoidLookupsOfTheirOwn()
    {
        // RFC 7208 §4.6.4 limits the "terms" whose DNS queries come back empty. Here the mx term's own query
        // has answers; its hosts merely have no AAAA records for an IPv6 client. pyspf and Mail::SPF count
        // each host as a void lookup and give permerror; Vouch counts terms, so the record's -all decides.
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 mx -all")
            .Mx("example.com", 10, "mx1.example.com").Mx("example.com", 20, "mx2.example.com").Mx("example.com", 30, "mx3.example.com")
            .A("mx1.example.com", "192.0.2.1").A("mx2.example.com", "192.0.2.2").A("mx3.example.com", "192.0.2.3");

        var result = await CheckAsync(zone, "2001:db8::25", "alice@example.com");

        Assert.Equal((SpfResultCode.Fail, 0), (result.Code, result.VoidLookups));
    }

    [Fact]
    public async Task MoreThanTenMxRecordsIsPermerror()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 mx -all");
        for (ushort i = 0; i < 11; i++)
        {
            zone.Mx("example.com", i, $"mx{i}.example.com").A($"mx{i}.example.com", $"192.0.2.{i + 1}");
        }

        var result = await CheckAsync(zone, "192.0.2.1", "alice@example.com");

        Assert.Equal(SpfResultCode.PermError, result.Code);
        Assert.Contains("11 MX records", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnMxHostFailureIsTemperrorUnlessAnotherHostMatches()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 mx -all")
            .Mx("example.com", 10, "down.example.com").Mx("example.com", 20, "up.example.com")
            .Fail("down.example.com", DnsStatus.Timeout)
            .A("up.example.com", "192.0.2.20");

        Assert.Equal(SpfResultCode.Pass, (await CheckAsync(zone, "192.0.2.20", "a@example.com")).Code);
        var other = await CheckAsync(zone, "192.0.2.99", "a@example.com");
        Assert.Equal(SpfResultCode.TempError, other.Code);
        Assert.Contains("down.example.com", other.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullMxHostsAreNotLookedUp()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 mx -all").Mx("example.com", 0, ".");

        var result = await CheckAsync(zone, "192.0.2.1", "a@example.com");

        Assert.Equal(SpfResultCode.Fail, result.Code);
        Assert.DoesNotContain(result.Trace.OfType<SpfDnsQueryEvent>(), q => q.Type == DnsRecordType.A);
    }

    [Fact]
    public async Task MxHostLookupsRunTogether()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 mx -all")
            .Mx("example.com", 10, "mx1.example.com").Mx("example.com", 20, "mx2.example.com")
            .A("mx1.example.com", "192.0.2.1").A("mx2.example.com", "192.0.2.2");
        var gate = new GatedResolver(zone.Resolver(), expectedConcurrentAddressLookups: 2);

        var result = await new SpfChecker(gate).CheckMailFromAsync(IPAddress.Parse("192.0.2.2"), "a@example.com", "h.example.com", CancellationToken.None);

        Assert.Equal(SpfResultCode.Pass, result.Code);
        Assert.True(gate.SawConcurrentLookups, "the two MX hosts' address lookups did not overlap");
    }

    [Fact]
    public async Task AnIpv4MappedClientIsCheckedAsIpv4()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        Assert.Equal(SpfResultCode.Pass, (await CheckAsync(zone, "::ffff:192.0.2.7", "a@example.com")).Code);
    }

    [Fact]
    public async Task AnEmptySenderIsCheckedAsPostmasterAtTheHeloName()
    {
        var zone = new TestZone().Txt("mail.example.com", "v=spf1 a -all").A("mail.example.com", "192.0.2.25");

        var result = await CheckAsync(zone, "192.0.2.25", "", helo: "mail.example.com");

        Assert.Equal(SpfResultCode.Pass, result.Code);
        Assert.Equal("postmaster@mail.example.com", result.Sender);
        Assert.Equal(SpfIdentity.MailFrom, result.Identity);
    }

    [Fact]
    public async Task TheHeloIdentityIsChecked()
    {
        var zone = new TestZone().Txt("mail.example.com", "v=spf1 a -all").A("mail.example.com", "192.0.2.25");

        var result = await new SpfChecker(zone.Resolver()).CheckHeloAsync(IPAddress.Parse("192.0.2.26"), "mail.example.com", CancellationToken.None);

        Assert.Equal((SpfResultCode.Fail, SpfIdentity.Helo, "postmaster@mail.example.com"), (result.Code, result.Identity, result.Sender));
    }

    [Fact]
    public async Task TheExplanationComesFromExpWithMacros()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 -all exp=why.example.com")
            .Txt("why.example.com", "%{i} may not send for %{d}; ", "see https://example.com/spf?l=%{L}");

        var result = await CheckAsync(zone, "192.0.2.9", "a b@example.com");

        Assert.Equal(SpfResultCode.Fail, result.Code);
        Assert.False(result.ExplanationIsDefault);
        Assert.Equal("192.0.2.9 may not send for example.com; see https://example.com/spf?l=a%20b", result.Explanation);
    }

    [Fact]
    public async Task AFailingExpFallsBackToTheDefaultExplanation()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 -all exp=why.example.com").Fail("why.example.com", DnsStatus.ServerFailure);

        var result = await CheckAsync(zone, "192.0.2.9", "a@example.com");

        Assert.True(result.ExplanationIsDefault);
        Assert.Equal("example.com does not designate 192.0.2.9 as a permitted sender", result.Explanation);
    }

    [Fact]
    public async Task TheTxtStringsOfOneRecordAreJoinedWithoutSpaces()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.1", "0 -all");

        Assert.Equal(SpfResultCode.Pass, (await CheckAsync(zone, "192.0.2.10", "a@example.com")).Code);
    }

    [Theory]
    [InlineData(DnsStatus.Timeout, SpfResultCode.TempError)]
    [InlineData(DnsStatus.ServerFailure, SpfResultCode.TempError)]
    [InlineData(DnsStatus.NoSuchDomain, SpfResultCode.None)]
    [InlineData(DnsStatus.NoData, SpfResultCode.None)]
    public async Task TheTxtLookupOutcomeDecidesBeforeAnyRecord(DnsStatus status, SpfResultCode expected)
    {
        var zone = new TestZone().Fail("example.com", status, DnsRecordType.TXT);

        var result = await CheckAsync(zone, "192.0.2.10", "a@example.com");

        Assert.Equal(expected, result.Code);
        Assert.NotNull(result.Problem);
    }

    [Fact]
    public async Task CancellationStopsTheCheck()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var checker = new SpfChecker(new TestZone().Txt("example.com", "v=spf1 -all").Resolver());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            checker.CheckMailFromAsync(IPAddress.Parse("192.0.2.1"), "a@example.com", "h.example.com", cancellation.Token));
    }

    [Fact]
    public async Task AResolverBugBecomesTemperrorNeverAVerdict()
    {
        var result = await new SpfChecker(new ThrowingResolver()).CheckMailFromAsync(IPAddress.Parse("192.0.2.1"), "a@example.com", "h.example.com", CancellationToken.None);

        Assert.Equal(SpfResultCode.TempError, result.Code);
        Assert.Contains("internal error", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckPastItsDeadlineIsTemperror()
    {
        var clock = new FakeTimeProvider();
        var dns = new ScriptedResolver().Answer("slow.example", DnsAnswer<TxtRecord>.FromRecords([new TxtRecord(["v=spf1 +all"])], TimeSpan.FromMinutes(1)));
        dns.Hold();
        var checker = new SpfChecker(dns, new SpfOptions { Deadline = TimeSpan.FromSeconds(20) }, clock);

        var check = checker.CheckMailFromAsync(IPAddress.Parse("192.0.2.1"), "a@slow.example", "h.example.com", CancellationToken.None);
        while (dns.Queries == 0)
        {
            await Task.Yield();
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        var result = await check;
        dns.Release();

        Assert.Equal(SpfResultCode.TempError, result.Code);
        Assert.Contains("deadline of 20 s", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TracingCanBeTurnedOff()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 -all");

        var result = await CheckAsync(zone, "192.0.2.1", "a@example.com", options: new SpfOptions { CollectTrace = false });

        Assert.Equal(SpfResultCode.Fail, result.Code);
        Assert.Empty(result.Trace);
    }

    private static (string Name, DnsRecordType Type, DnsStatus Status) Query(SpfTraceEvent traceEvent)
    {
        var query = Assert.IsType<SpfDnsQueryEvent>(traceEvent);
        return (query.Name, query.Type, query.Status);
    }

    private static (string Term, SpfTermOutcome Outcome, int Depth) Term(SpfTraceEvent traceEvent)
    {
        var term = Assert.IsType<SpfTermEvent>(traceEvent);
        return (term.Term, term.Outcome, term.Depth);
    }
}
