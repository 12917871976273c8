using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Policy;
using Vouch.Tests.Support;

namespace Vouch.Tests.Lists;

public sealed class DnsListCheckerTests
{
    private static readonly DnsListDefinition Dnsbl = new("bl", "dnsbl.test", DnsListKind.Address, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers, PolicyAction.Reject);
    private static readonly DnsListDefinition Rhsbl = new("rhs", "rhsbl.test", DnsListKind.Domain, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers, PolicyAction.Defer);

    private static TestZone Lists() => new TestZone()
        .A("2.0.0.127.dnsbl.test", "127.0.0.2").A("test.rhsbl.test", "127.0.0.2")
        .A("7.113.0.203.dnsbl.test", "127.0.0.4").Txt("7.113.0.203.dnsbl.test", "listed for spam, see https://dnsbl.test/203.0.113.7")
        .A("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.dnsbl.test", "127.0.0.2")
        .A("9.113.0.203.dnsbl.test", "127.255.255.254")
        .A("spammer.example.rhsbl.test", "127.0.0.2")
        .Fail("5.113.0.203.dnsbl.test", DnsStatus.ServerFailure);

    private static DnsListChecker Checker(IDnsResolver resolver, ILogger<DnsListChecker>? logger = null, TimeProvider? time = null) =>
        new(resolver, new ListOptions { DnsLists = [Dnsbl, Rhsbl], SelfTestInterval = TimeSpan.FromMinutes(15) }, logger, time);

    private static async Task<DnsListResult> AskAsync(string ip, params string[] domains) =>
        (await Checker(Lists().Resolver()).CheckAsync(IPAddress.Parse(ip), domains, CancellationToken.None)).First(r => r.List == Dnsbl);

    [Fact]
    public async Task AListedIpv4AddressIsQueriedWithReversedOctetsAndCarriesItsReason()
    {
        var result = await AskAsync("203.0.113.7");

        Assert.Equal(("7.113.0.203.dnsbl.test", DnsListOutcome.Listed), (result.QueryName, result.Outcome));
        Assert.Equal([IPAddress.Parse("127.0.0.4")], result.Answers);
        Assert.Equal("listed for spam, see https://dnsbl.test/203.0.113.7", result.Text);
    }

    [Fact]
    public async Task AnIpv6AddressIsQueriedWithReversedNibbles()
    {
        var result = await AskAsync("2001:db8::1");

        Assert.Equal(DnsListOutcome.Listed, result.Outcome);
        Assert.StartsWith("1.0.0.0.", result.QueryName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", DnsListOutcome.Error)]
    [InlineData("203.0.113.8", DnsListOutcome.NotListed)]
    [InlineData("203.0.113.5", DnsListOutcome.TempFailure)]
    public async Task ErrorCodesFailuresAndAbsenceAreNotListings(string ip, DnsListOutcome expected) =>
        Assert.Equal(expected, (await AskAsync(ip)).Outcome);

    [Fact]
    public async Task DomainListsAreAskedForEachDomain()
    {
        var results = await Checker(Lists().Resolver()).CheckAsync(IPAddress.Parse("192.0.2.1"), ["spammer.example", "fine.example"], CancellationToken.None);

        Assert.Contains(results, r => r.List == Rhsbl && r.Subject == "spammer.example" && r.Outcome == DnsListOutcome.Listed && r.QueryName == "spammer.example.rhsbl.test");
        Assert.Contains(results, r => r.List == Rhsbl && r.Subject == "fine.example" && r.Outcome == DnsListOutcome.NotListed);
    }

    [Fact]
    public async Task WorkingListsPassTheirSelfTest()
    {
        var statuses = await Checker(Lists().Resolver()).SelfTestAsync(CancellationToken.None);

        Assert.All(statuses, s => Assert.False(s.Suspended, s.Detail));
    }

    [Fact]
    public async Task AResolverThatAnswersEverythingGetsTheListSuspendedLoudly()
    {
        var logger = new RecordingLogger();
        var liar = new AnswerEverythingResolver();
        var checker = Checker(liar, logger);

        var statuses = await checker.SelfTestAsync(CancellationToken.None);
        var queriesAfterTest = liar.Queries;
        var results = await checker.CheckAsync(IPAddress.Parse("192.0.2.1"), ["fine.example"], CancellationToken.None);

        Assert.All(statuses, s => Assert.True(s.Suspended));
        Assert.All(results, r => Assert.Equal(DnsListOutcome.Suspended, r.Outcome));
        Assert.Equal(queriesAfterTest, liar.Queries);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("DNS list bl (dnsbl.test) SUSPENDED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AListWithoutItsTestPointIsSuspendedAndResumedWhenItWorksAgain()
    {
        var logger = new RecordingLogger();
        var time = new FakeTimeProvider();
        var broken = new TestZone().A("test.rhsbl.test", "127.0.0.2");
        var checker = new DnsListChecker(broken.Resolver(), new ListOptions { DnsLists = [Dnsbl] }, logger, time);
        Assert.True((await checker.SelfTestAsync(CancellationToken.None))[0].Suspended);

        var repaired = new DnsListChecker(Lists().Resolver(), new ListOptions { DnsLists = [Dnsbl] }, logger, time);
        Assert.False((await repaired.SelfTestAsync(CancellationToken.None))[0].Suspended);
    }

    [Fact]
    public async Task SelfTestsRepeatOnTheirInterval()
    {
        var time = new FakeTimeProvider();
        var liar = new AnswerEverythingResolver();
        var checker = new DnsListChecker(liar, new ListOptions { DnsLists = [Dnsbl], SelfTestInterval = TimeSpan.FromMinutes(15) }, null, time);
        using var stop = new CancellationTokenSource();

        var running = checker.RunSelfTestsAsync(stop.Token);
        await WaitForAsync(() => liar.Queries >= 2);
        var afterFirst = liar.Queries;
        time.Advance(TimeSpan.FromMinutes(15));
        await WaitForAsync(() => liar.Queries >= afterFirst + 2);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(afterFirst + 2, liar.Queries);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Yield();
            safety.Token.ThrowIfCancellationRequested();
        }
    }

    private sealed class AnswerEverythingResolver : IDnsResolver
    {
        private int queries;

        public int Queries => Volatile.Read(ref queries);

        public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref queries);
            return ValueTask.FromResult(DnsAnswer<IPAddress>.FromRecords([IPAddress.Parse("127.0.0.2")], TimeSpan.FromMinutes(1)));
        }

        public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DnsAnswer<TxtRecord>.Empty(DnsStatus.NoData, TimeSpan.Zero));

        public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DnsAnswer<MxRecord>.Empty(DnsStatus.NoData, TimeSpan.Zero));

        public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DnsAnswer<AplItem>.Empty(DnsStatus.NoData, TimeSpan.Zero));

        public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DnsAnswer<string>.Empty(DnsStatus.NoData, TimeSpan.Zero));
    }
}
