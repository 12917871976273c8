using Vouch.Cli;
using Vouch.Dns;
using Vouch.Tests.Support;

namespace Vouch.Tests.Cli;

/// <summary>`vouch serve`'s reloads: the live setup's cache feeds /metrics, and each reloaded setup runs its lists' self-tests.</summary>
public sealed class ReloadedSetupsTests
{
    private static ResolverSetup Setup()
    {
        var cache = new CachingResolver(new ScriptedResolver());
        return new ResolverSetup(cache, cache, null);
    }

    [Fact]
    public async Task MetricsReadTheLiveSetupsCacheAfterAReload()
    {
        var first = Setup();
        var reloaded = Setup();
        await using var reloads = new ReloadedSetups(first);
        var metrics = new Vouch.Server.PolicyMetrics(() => reloads.CacheStatistics);
        await first.Cache!.LookupTxtAsync("before.example", CancellationToken.None);

        Assert.Contains("vouch_dns_queries_total 1\n", metrics.Render(), StringComparison.Ordinal);
        await reloads.ReplaceAsync(reloaded, _ => Task.CompletedTask, TimeSpan.FromMinutes(1));
        await reloaded.Cache!.LookupTxtAsync("after-1.example", CancellationToken.None);
        await reloaded.Cache.LookupTxtAsync("after-2.example", CancellationToken.None);

        Assert.Contains("vouch_dns_queries_total 2\n", metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachReloadedSetupRunsItsSelfTestsUntilItIsSuperseded()
    {
        var started = new List<(int Setup, CancellationToken Token)>();
        var running = new SemaphoreSlim(0);
        Func<CancellationToken, Task> SelfTests(int setup) => async token =>
        {
            lock (started)
            {
                started.Add((setup, token));
            }

            running.Release();
            await Task.Delay(Timeout.Infinite, token);
        };

        var reloads = new ReloadedSetups(Setup());
        await reloads.ReplaceAsync(Setup(), SelfTests(1), TimeSpan.FromMinutes(1));
        Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(10)));
        await reloads.ReplaceAsync(Setup(), SelfTests(2), TimeSpan.FromMinutes(1));
        Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal([1, 2], started.Select(s => s.Setup));
        Assert.True(started[0].Token.IsCancellationRequested, "the superseded setup's self-tests go on");
        Assert.False(started[1].Token.IsCancellationRequested);

        await reloads.DisposeAsync();
        Assert.True(started[1].Token.IsCancellationRequested);
    }
}
