using Vouch.Dns;

namespace Vouch.Cli;

/// <summary>
/// The resolver setups of `vouch serve`'s reloads. A new setup supersedes the last one, which is closed
/// after a grace period (the checks that started on it are past their deadline by then); everything is
/// closed when the service stops. Each reloaded setup runs its DNS lists' periodic self-tests until it is
/// superseded, and the cache counters read are those of the live setup.
/// </summary>
internal sealed class ReloadedSetups : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> retiring = [];
    private readonly ResolverSetup first;
    private Reloaded? current;
    private bool disposed;

    /// <summary>Starts with the service's first setup live; that one stays the caller's to close.</summary>
    public ReloadedSetups(ResolverSetup first) => this.first = first;

    /// <summary>The live setup's cache counters: the last reload's, else the first setup's; null without a network cache.</summary>
    public DnsCacheStatistics? CacheStatistics
    {
        get
        {
            lock (gate)
            {
                return (current?.Setup ?? first).Cache?.Statistics;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="setup"/> the current one and starts <paramref name="selfTests"/> for it (its lists'
    /// periodic self-tests, stopped when it is superseded); the one it supersedes is closed after <paramref name="grace"/>.
    /// </summary>
    public async Task ReplaceAsync(ResolverSetup setup, Func<CancellationToken, Task> selfTests, TimeSpan grace)
    {
        lock (gate)
        {
            if (!disposed)
            {
                var superseded = current;
                var tests = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                current = new Reloaded(setup, tests, RunSelfTestsAsync(selfTests, tests.Token));
                if (superseded is not null)
                {
                    retiring.RemoveAll(task => task.IsCompleted);
                    retiring.Add(RetireAsync(superseded, grace));
                }

                return;
            }
        }

        // The service is stopping: the new setup is not needed.
        await setup.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes every setup now, those in their grace period included.</summary>
    public async ValueTask DisposeAsync()
    {
        Reloaded? last;
        Task[] pending;
        lock (gate)
        {
            disposed = true;
            last = current;
            current = null;
            pending = [.. retiring];
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pending).ConfigureAwait(false);
        if (last is not null)
        {
            await CloseAsync(last).ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private static async Task RunSelfTestsAsync(Func<CancellationToken, Task> selfTests, CancellationToken cancellationToken)
    {
        // Started from a signal handler's task: yield first so that starting never runs the tests under the lock.
        await Task.Yield();
        try
        {
            await selfTests(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Superseded or stopping.
        }
    }

    private static async Task CloseAsync(Reloaded reloaded)
    {
        await reloaded.SelfTestsStop.CancelAsync().ConfigureAwait(false);
        await reloaded.SelfTests.ConfigureAwait(false);
        reloaded.SelfTestsStop.Dispose();
        await reloaded.Setup.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RetireAsync(Reloaded reloaded, TimeSpan grace)
    {
        // The superseded configuration's lists are no longer asked: their self-tests stop now.
        await reloaded.SelfTestsStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.Delay(grace, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: close it now.
        }

        await CloseAsync(reloaded).ConfigureAwait(false);
    }

    private sealed record Reloaded(ResolverSetup Setup, CancellationTokenSource SelfTestsStop, Task SelfTests);
}
