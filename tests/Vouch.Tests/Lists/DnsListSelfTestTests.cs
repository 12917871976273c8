using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vouch.Dns;
using Vouch.Lists;

namespace Vouch.Tests.Lists;

public sealed class DnsListSelfTestTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    private readonly RecordingLogger<DnsListChecker> logger = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private DnsListChecker Checker(IDnsResolver resolver) =>
        new(resolver, DnsListZones.Options(), logger, time);

    [Fact]
    public void Before_the_first_test_no_list_is_suspended()
    {
        var statuses = Checker(DnsListZones.Resolver()).Statuses;

        Assert.Equal(["zen", "dbl"], statuses.Select(s => s.List.Name));
        Assert.All(statuses, s => Assert.False(s.Suspended));
        Assert.All(statuses, s => Assert.Equal(DateTimeOffset.MinValue, s.TestedAt));
    }

    [Fact]
    public async Task Lists_that_answer_their_test_points_pass()
    {
        var resolver = new SwitchableResolver(DnsListZones.Resolver());

        var statuses = await Checker(resolver).SelfTestAsync(CancellationToken.None);

        Assert.All(statuses, s => Assert.False(s.Suspended, s.Detail));
        Assert.All(statuses, s => Assert.Equal(time.GetUtcNow(), s.TestedAt));
        Assert.Equal(
            ["1.0.0.127.dnsbl.example", "2.0.0.127.dnsbl.example", "invalid.dbl.example", "test.dbl.example"],
            resolver.AddressQuestions.Order(StringComparer.Ordinal));
        Assert.Equal("2.0.0.127.dnsbl.example listed (127.0.0.2), 1.0.0.127.dnsbl.example nxdomain", statuses[0].Detail);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task A_resolver_that_answers_every_name_suspends_every_list_loudly()
    {
        var resolver = new SwitchableResolver(new RewritingResolver());
        var checker = Checker(resolver);

        var statuses = await checker.SelfTestAsync(CancellationToken.None);

        Assert.All(statuses, s => Assert.True(s.Suspended));
        Assert.Contains("1.0.0.127.dnsbl.example answered 127.0.0.2 but must not exist", statuses[0].Detail, StringComparison.Ordinal);
        Assert.Contains("invalid.dbl.example answered 127.0.0.2 but must not exist", statuses[1].Detail, StringComparison.Ordinal);
        var errors = logger.At(LogLevel.Error);
        Assert.Equal(2, errors.Count);
        var zen = Assert.Single(errors, e => Equals(e.Values["List"], "zen"));
        Assert.Contains("DNS list zen (dnsbl.example)", zen.Message, StringComparison.Ordinal);
        Assert.Contains("suspended", zen.Message, StringComparison.Ordinal);
        Assert.Contains("answered 127.0.0.2", zen.Message, StringComparison.Ordinal);
        Assert.Contains(errors, e => e.Message.Contains("DNS list dbl (dbl.example)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_suspended_list_is_not_queried()
    {
        var resolver = new SwitchableResolver(new RewritingResolver());
        var checker = Checker(resolver);
        await checker.SelfTestAsync(CancellationToken.None);
        var asked = resolver.AddressQuestions.Count;

        var results = await checker.CheckAsync(IPAddress.Parse("203.0.113.7"), ["spammer.example"], CancellationToken.None);

        Assert.Equal(asked, resolver.AddressQuestions.Count);
        Assert.Equal([DnsListOutcome.Suspended, DnsListOutcome.Suspended], results.Select(r => r.Outcome));
        Assert.Equal(["7.113.0.203.dnsbl.example", "spammer.example.dbl.example"], results.Select(r => r.QueryName));
        Assert.All(results, r => Assert.Empty(r.Answers));
    }

    [Fact]
    public async Task A_list_that_does_not_list_its_positive_test_point_is_suspended_and_resumed_when_it_does()
    {
        var broken = DnsListZones.Resolver(data => data.InjectFailure("2.0.0.127.dnsbl.example", DnsStatus.NoSuchDomain));
        var resolver = new SwitchableResolver(broken);
        var checker = Checker(resolver);

        var failed = await checker.SelfTestAsync(CancellationToken.None);

        Assert.True(failed[0].Suspended);
        Assert.False(failed[1].Suspended);
        Assert.StartsWith("2.0.0.127.dnsbl.example answered nxdomain", failed[0].Detail, StringComparison.Ordinal);
        var error = Assert.Single(logger.At(LogLevel.Error));
        Assert.Equal("zen", error.Values["List"]);
        Assert.Contains("nxdomain", error.Message, StringComparison.Ordinal);
        var suspended = await checker.CheckAsync(IPAddress.Parse("203.0.113.7"), [], CancellationToken.None);
        Assert.Equal(DnsListOutcome.Suspended, Assert.Single(suspended).Outcome);

        resolver.Inner = DnsListZones.Resolver();
        time.Advance(TimeSpan.FromMinutes(1));
        var passed = await checker.SelfTestAsync(CancellationToken.None);

        Assert.False(passed[0].Suspended);
        Assert.Equal(time.GetUtcNow(), passed[0].TestedAt);
        var information = Assert.Single(logger.At(LogLevel.Information));
        Assert.Equal("zen", information.Values["List"]);
        Assert.Contains("resumed", information.Message, StringComparison.Ordinal);
        var resumed = await checker.CheckAsync(IPAddress.Parse("203.0.113.7"), [], CancellationToken.None);
        Assert.Equal(DnsListOutcome.Listed, Assert.Single(resumed).Outcome);
    }

    [Fact]
    public async Task A_list_that_refuses_its_test_point_is_suspended()
    {
        // Large lists answer 127.255.255.254 to queries through public resolvers: every check would be an error.
        var zone = new Support.TestZone().A("2.0.0.127.dnsbl.example", "127.255.255.254").A("test.dbl.example", "127.0.1.2");
        var checker = Checker(zone.Resolver());

        var statuses = await checker.SelfTestAsync(CancellationToken.None);

        Assert.True(statuses[0].Suspended);
        Assert.Contains("127.255.255.254 (an error code", statuses[0].Detail, StringComparison.Ordinal);
        Assert.False(statuses[1].Suspended);
    }

    [Fact]
    public async Task A_temporary_failure_leaves_the_state_as_it_was()
    {
        var resolver = new SwitchableResolver(new RewritingResolver());
        var checker = Checker(resolver);
        await checker.SelfTestAsync(CancellationToken.None);
        resolver.Inner = DnsListZones.Resolver(data =>
        {
            data.InjectFailure("2.0.0.127.dnsbl.example", DnsStatus.ServerFailure);
            data.InjectFailure("invalid.dbl.example", DnsStatus.Timeout);
        });

        var stillSuspended = await checker.SelfTestAsync(CancellationToken.None);

        Assert.All(stillSuspended, s => Assert.True(s.Suspended));
        Assert.Contains("servfail", stillSuspended[0].Detail, StringComparison.Ordinal);
        var warnings = logger.At(LogLevel.Warning);
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("stays suspended", w.Message, StringComparison.Ordinal));

        // And a list in use stays in use.
        var fresh = Checker(resolver);
        var stillInUse = await fresh.SelfTestAsync(CancellationToken.None);
        Assert.All(stillInUse, s => Assert.False(s.Suspended));
    }

    [Fact]
    public async Task Self_tests_run_at_once_and_then_every_interval()
    {
        var resolver = new SwitchableResolver(DnsListZones.Resolver());
        var checker = Checker(resolver);
        using var stop = new CancellationTokenSource();

        var running = checker.RunSelfTestsAsync(stop.Token);
        await Until(() => resolver.AddressQuestions.Count == 4);
        var started = time.GetUtcNow();
        Assert.All(checker.Statuses, s => Assert.Equal(started, s.TestedAt));

        time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(4, resolver.AddressQuestions.Count);

        // The resolver starts rewriting: the next round suspends both lists.
        resolver.Inner = new RewritingResolver();
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => checker.Statuses.All(s => s.Suspended));
        Assert.Equal(8, resolver.AddressQuestions.Count);
        Assert.All(checker.Statuses, s => Assert.Equal(started + Interval, s.TestedAt));

        // Fixed again: one more interval and they are back.
        resolver.Inner = DnsListZones.Resolver();
        time.Advance(Interval);
        await Until(() => checker.Statuses.All(s => !s.Suspended));
        Assert.Equal(2, logger.At(LogLevel.Information).Count);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        time.Advance(Interval);
        Assert.Equal(12, resolver.AddressQuestions.Count);
    }

    [Fact]
    public async Task A_round_that_throws_does_not_stop_the_tests()
    {
        var resolver = new SwitchableResolver(new Support.ThrowingResolver());
        var checker = Checker(resolver);
        using var stop = new CancellationTokenSource();

        var running = checker.RunSelfTestsAsync(stop.Token);
        await Until(() => logger.At(LogLevel.Error).Count == 1);
        resolver.Inner = new RewritingResolver();
        time.Advance(Interval);
        await Until(() => checker.Statuses.All(s => s.Suspended));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    /// <summary>Waits for work the fake clock released, which may finish on another thread; no fixed sleep.</summary>
    private static async Task Until(Func<bool> condition)
    {
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(safety.IsCancellationRequested, "the condition did not become true");
            await Task.Yield();
        }
    }
}
