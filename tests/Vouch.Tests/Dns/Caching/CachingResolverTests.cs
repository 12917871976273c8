using Microsoft.Extensions.Time.Testing;
using Vouch.Dns;
using Vouch.Dns.Caching;
using Vouch.Tests.Support;

namespace Vouch.Tests.Dns.Caching;

public sealed class CachingResolverTests
{
    private static DnsAnswer<TxtRecord> Txt(string text, int ttlSeconds) =>
        DnsAnswer<TxtRecord>.FromRecords([new TxtRecord([text])], TimeSpan.FromSeconds(ttlSeconds));

    [Fact]
    public async Task AnAnswerIsKeptForItsTtlAndAskedAgainAfter()
    {
        var clock = new FakeTimeProvider();
        var inner = new ScriptedResolver().Answer("a.example", Txt("v=spf1 -all", 300));
        var cache = new CachingResolver(inner, timeProvider: clock);

        await cache.LookupTxtAsync("a.example", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(299));
        var cached = await cache.LookupTxtAsync("A.Example.", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await cache.LookupTxtAsync("a.example", CancellationToken.None);

        Assert.Equal("v=spf1 -all", Assert.Single(cached.Records).Text);
        Assert.Equal(2, inner.Queries);
        Assert.Equal(new DnsCacheStatistics(Hits: 1, Misses: 2, Queries: 2, Joins: 0, Failures: 0, Entries: 1), cache.Statistics);
    }

    [Fact]
    public async Task ACachedAnswerKeepsTheCanonicalNameItCameWith()
    {
        var clock = new FakeTimeProvider();
        var inner = new ScriptedResolver()
            .Answer("alias.example", DnsAnswer<TxtRecord>.FromRecords([new TxtRecord(["v=spf1 -all"])], TimeSpan.FromSeconds(300), "Target.Example."))
            .Answer("plain.example", Txt("v=spf1 -all", 300));
        var cache = new CachingResolver(inner, timeProvider: clock);

        await cache.LookupTxtAsync("alias.example", CancellationToken.None);
        await cache.LookupTxtAsync("plain.example", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        var alias = await cache.LookupTxtAsync("alias.example", CancellationToken.None);
        var plain = await cache.LookupTxtAsync("plain.example", CancellationToken.None);

        Assert.Equal(2, inner.Queries);
        Assert.Equal("target.example", alias.CanonicalName);
        Assert.Null(plain.CanonicalName);
    }

    [Fact]
    public async Task NegativeAnswersAreKeptForTheirSoaTtl()
    {
        var clock = new FakeTimeProvider();
        var inner = new ScriptedResolver().Answer("gone.example", DnsAnswer<TxtRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.FromSeconds(60)));
        var cache = new CachingResolver(inner, timeProvider: clock);

        Assert.Equal(DnsStatus.NoSuchDomain, (await cache.LookupTxtAsync("gone.example", CancellationToken.None)).Status);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(DnsStatus.NoSuchDomain, (await cache.LookupTxtAsync("gone.example", CancellationToken.None)).Status);
        Assert.Equal(1, inner.Queries);
        clock.Advance(TimeSpan.FromSeconds(2));
        await cache.LookupTxtAsync("gone.example", CancellationToken.None);
        Assert.Equal(2, inner.Queries);
    }

    [Fact]
    public async Task TemporaryFailuresAreKeptOnlyBriefly()
    {
        var clock = new FakeTimeProvider();
        var inner = new ScriptedResolver().Answer("flaky.example", DnsAnswer<TxtRecord>.Empty(DnsStatus.ServerFailure, TimeSpan.FromHours(1), "SERVFAIL"));
        var cache = new CachingResolver(inner, new DnsCacheOptions { FailureTtl = TimeSpan.FromSeconds(2) }, clock);

        await cache.LookupTxtAsync("flaky.example", CancellationToken.None);
        await cache.LookupTxtAsync("flaky.example", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3));
        var again = await cache.LookupTxtAsync("flaky.example", CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, again.Status);
        Assert.Equal(2, inner.Queries);
        Assert.Equal(2, cache.Statistics.Failures);
    }

    [Fact]
    public async Task TtlsAreClampedToTheConfiguredBounds()
    {
        var clock = new FakeTimeProvider();
        var inner = new ScriptedResolver().Answer("short.example", Txt("x", 1)).Answer("long.example", Txt("y", 86400 * 7));
        var cache = new CachingResolver(inner, new DnsCacheOptions { MinimumTtl = TimeSpan.FromSeconds(30), MaximumTtl = TimeSpan.FromHours(1) }, clock);

        await cache.LookupTxtAsync("short.example", CancellationToken.None);
        await cache.LookupTxtAsync("long.example", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(20));
        await cache.LookupTxtAsync("short.example", CancellationToken.None);
        Assert.Equal(2, inner.Queries);
        clock.Advance(TimeSpan.FromHours(1));
        await cache.LookupTxtAsync("long.example", CancellationToken.None);
        Assert.Equal(3, inner.Queries);
    }

    [Fact]
    public async Task ConcurrentQuestionsShareOneQuery()
    {
        var inner = new ScriptedResolver().Answer("busy.example", Txt("v=spf1 +all", 60));
        var cache = new CachingResolver(inner);
        inner.Hold();

        var waiting = Enumerable.Range(0, 100).Select(_ => cache.LookupTxtAsync("busy.example", CancellationToken.None).AsTask()).ToArray();
        inner.Release();
        var answers = await Task.WhenAll(waiting);

        Assert.Equal(1, inner.Queries);
        Assert.All(answers, a => Assert.Equal("v=spf1 +all", Assert.Single(a.Records).Text));
        Assert.Equal(99, cache.Statistics.Joins);
    }

    [Fact]
    public async Task ACancelledWaiterDoesNotCancelTheSharedQuery()
    {
        var inner = new ScriptedResolver().Answer("busy.example", Txt("v=spf1 +all", 60));
        var cache = new CachingResolver(inner);
        inner.Hold();
        using var impatient = new CancellationTokenSource();

        var first = cache.LookupTxtAsync("busy.example", impatient.Token).AsTask();
        var second = cache.LookupTxtAsync("busy.example", CancellationToken.None).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        inner.Release();

        Assert.Equal(DnsStatus.Records, (await second).Status);
        Assert.Equal(1, inner.Queries);
    }

    [Fact]
    public async Task TheCacheIsBoundedByEntryCount()
    {
        var inner = new ScriptedResolver();
        for (var i = 0; i < 500; i++)
        {
            inner.Answer($"n{i}.example", Txt("x", 3600));
        }

        var cache = new CachingResolver(inner, new DnsCacheOptions { MaxEntries = 100 });
        for (var i = 0; i < 500; i++)
        {
            await cache.LookupTxtAsync($"n{i}.example", CancellationToken.None);
        }

        Assert.InRange(cache.Statistics.Entries, 1, 100);
    }

    [Fact]
    public async Task AResolverThatThrowsBecomesAServerFailure()
    {
        var cache = new CachingResolver(new ThrowingResolver());

        var answer = await cache.LookupTxtAsync("x.example", CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.Contains("resolver bug", answer.Problem, StringComparison.Ordinal);
    }
}
