namespace Vouch.Cli;

/// <summary>
/// The resolver setups of `vouch serve`'s reloads. A new setup supersedes the last one, which is closed
/// after a grace period (the checks that started on it are past their deadline by then); everything is
/// closed when the service stops.
/// </summary>
internal sealed class ReloadedSetups : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> retiring = [];
    private ResolverSetup? current;
    private bool disposed;

    /// <summary>Makes <paramref name="setup"/> the current one; the one it supersedes is closed after <paramref name="grace"/>.</summary>
    public async Task ReplaceAsync(ResolverSetup setup, TimeSpan grace)
    {
        ResolverSetup? superseded;
        lock (gate)
        {
            if (!disposed)
            {
                superseded = current;
                current = setup;
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
        ResolverSetup? last;
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
            await last.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task RetireAsync(ResolverSetup setup, TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: close it now.
        }

        await setup.DisposeAsync().ConfigureAwait(false);
    }
}
