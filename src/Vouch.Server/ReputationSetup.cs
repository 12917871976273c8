using Microsoft.Extensions.Logging;
using Vouch.Registration;
using Vouch.Reputation;

namespace Vouch.Server;

/// <summary>
/// Reputation as one service uses it: the store, the in-memory state map the checker reads, the ticket signer
/// and the report ingest, and the loop that keeps the map current. A store that is down at start or later
/// leaves reputation unknown (never black) and is asked again at every refresh; it never stops the service.
/// </summary>
public sealed class ReputationSetup : IAsyncDisposable
{
    private readonly ILogger? logger;
    private readonly TimeProvider timeProvider;
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly ReportCounters counters;
    private bool troubled;
    private bool loaded;

    // Refreshes asked for by state changes: 0 none, 1 one running, 2 one running and another asked for after it began.
    private int requested;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> pendingSubjects = new(StringComparer.Ordinal);

    private ReputationSetup(IReputationStore store, ReputationStateMap map, TicketSigner signer, ReportIngest ingest, ReputationOptions options, ILogger? logger, TimeProvider timeProvider)
    {
        counters = ingest.Counters;
        Store = store;
        Map = map;
        Signer = signer;
        Ingest = ingest;
        Options = options;
        this.logger = logger;
        this.timeProvider = timeProvider;
    }

    /// <summary>The store.</summary>
    public IReputationStore Store { get; }

    /// <summary>The listed rows in memory: what the policy reads.</summary>
    public ReputationStateMap Map { get; }

    /// <summary>Signs tickets and verifies them.</summary>
    public TicketSigner Signer { get; }

    /// <summary>Where every report goes.</summary>
    public ReportIngest Ingest { get; }

    /// <summary>The [reputation] settings.</summary>
    public ReputationOptions Options { get; }

    /// <summary>
    /// Opens the store, reads the ticket key (making the key file when there is none) and reads the map once.
    /// </summary>
    /// <exception cref="SetupException">The key file cannot be read or made, or the store cannot be opened (a path that cannot be created).</exception>
    public static async Task<ReputationSetup> OpenAsync(ReputationOptions options, PublicSuffixList? suffixes, ReportCounters? counters, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        timeProvider ??= TimeProvider.System;
        var key = options.TicketKey ?? await ReadOrMakeKeyAsync(options.TicketKeyFile, cancellationToken).ConfigureAwait(false);
        var node = options.Node.Length > 0 ? options.Node : Environment.MachineName;
        var signer = new TicketSigner(key, options.PreviousTicketKey, node, timeProvider);
        IReputationStore store;
        try
        {
            store = options.Store == ReputationStoreKind.Redis ? new RedisReputationStore(options) : new SqliteReputationStore(options, timeProvider);
        }
        catch (ReputationStoreException exception)
        {
            throw new SetupException($"reputation store: {exception.Message}", exception);
        }

        var logger = loggerFactory?.CreateLogger("Vouch.Reputation");
        var map = new ReputationStateMap(options, suffixes, timeProvider);
        var ingest = new ReportIngest(store, signer, options, counters, timeProvider);
        var setup = new ReputationSetup(store, map, signer, ingest, options, logger, timeProvider);

        // A state change anywhere in the fleet (Redis publishes it) reaches this node's map before the next refresh.
        store.StateChanged += setup.RequestRefresh;
        await setup.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return setup;
    }

    /// <summary>
    /// Reads the listed rows into the map once, and logs and counts every row whose state differs from the map's
    /// (a report here or on another node, an administrator's pin, a release by decay); a store in trouble marks
    /// the map (it turns unknown once stale). Refreshes run one at a time.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = timeProvider.GetUtcNow();
            var rows = await Store.ListedAsync(now, cancellationToken).ConfigureAwait(false);
            var before = Map.Rows.ToDictionary(row => row.Key.Id, row => row.State, StringComparer.Ordinal);
            Map.Replace(rows, now);
            if (loaded)
            {
                ReportChanges(before, rows);
            }

            loaded = true;
            if (troubled)
            {
                troubled = false;
                if (logger is not null)
                {
                    ReputationLog.StoreBack(logger, rows.Count);
                }
            }
        }
        catch (ReputationStoreException exception)
        {
            Map.MarkFailed(exception.Message);
            if (!troubled && logger is not null)
            {
                ReputationLog.StoreTrouble(logger, exception.Message);
            }

            troubled = true;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private void ReportChanges(Dictionary<string, ReputationState> before, IReadOnlyList<ReputationRow> rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            seen.Add(row.Key.Id);
            var previous = before.TryGetValue(row.Key.Id, out var state) ? state : ReputationState.Neutral;
            if (row.State != previous)
            {
                Changed(row.Key.ToString(), previous, row.State, row.Numbers);
            }
        }

        foreach (var (id, state) in before)
        {
            if (!seen.Contains(id) && state != ReputationState.Neutral && ReputationKey.TryParseId(id, out var key))
            {
                Changed(key!.ToString(), state, ReputationState.Neutral, "released");
            }
        }
    }

    private void Changed(string row, ReputationState from, ReputationState to, string numbers)
    {
        counters.RecordStateChange(to);
        if (logger is not null)
        {
            ReputationLog.StateChanged(logger, row, from.ToToken(), to.ToToken(), numbers, "store");
        }
    }

    /// <summary>
    /// Reads <paramref name="subject"/>'s rows into the map soon, in the background, for a state change. A burst of
    /// changes (a spam run reported by many people) costs one read of each changed subject, one drain at a time, not
    /// a full read of the listed rows per change.
    /// </summary>
    public void RequestRefresh(string subject)
    {
        pendingSubjects[subject] = 0;
        if (Interlocked.Increment(ref requested) == 1)
        {
            _ = Task.Run(RefreshWhileRequestedAsync, CancellationToken.None);
        }
        else
        {
            // One running: it refreshes once more when it is done (a change after it began is read then).
            Interlocked.Exchange(ref requested, 2);
        }
    }

    private async Task RefreshWhileRequestedAsync()
    {
        try
        {
            do
            {
                Volatile.Write(ref requested, 1);
                foreach (var subject in pendingSubjects.Keys)
                {
                    pendingSubjects.TryRemove(subject, out _);
                    await RefreshSubjectAsync(subject).ConfigureAwait(false);
                }
            }
            while (Interlocked.CompareExchange(ref requested, 0, 1) != 1);
        }
        catch (ObjectDisposedException)
        {
            // The store was closed (the service stops or reloads): nothing left to refresh.
            Volatile.Write(ref requested, 0);
        }
    }

    /// <summary>Reads one subject's rows into the map, logging and counting its state changes; store trouble waits for the next full refresh.</summary>
    private async Task RefreshSubjectAsync(string subject)
    {
        await refreshing.WaitAsync().ConfigureAwait(false);
        try
        {
            var rows = await Store.RowsAsync(subject, timeProvider.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            var before = Map.Rows.Where(row => row.Key.Subject == subject).ToDictionary(row => row.Key.Id, row => row.State, StringComparer.Ordinal);
            Map.ReplaceSubject(subject, rows);
            ReportChanges(before, [.. rows.Where(row => row.State != ReputationState.Neutral)]);
        }
        catch (ReputationStoreException)
        {
            // The periodic refresh marks the map when the store is in trouble.
        }
        finally
        {
            refreshing.Release();
        }
    }

    /// <summary>Refreshes the map every <see cref="ReputationOptions.RefreshInterval"/> until cancelled.</summary>
    public async Task RunRefreshesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.RefreshInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        refreshing.Dispose();
    }

    /// <summary>The key in <paramref name="path"/> (base64), made with 32 random bytes and mode 0600 when the file does not exist.</summary>
    internal static async Task<byte[]> ReadOrMakeKeyAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var fresh = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
                var creation = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    creation.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                try
                {
                    await using var stream = new FileStream(path, creation);
                    await using var writer = new StreamWriter(stream);
                    await writer.WriteLineAsync(fresh.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process made it first: read theirs.
                }
            }

            var text = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
            var buffer = new byte[text.Length];
            return Convert.TryFromBase64String(text, buffer, out var written) && written >= 16
                ? buffer[..written]
                : throw new SetupException($"reputation ticket key file {path}: not a key of at least 16 bytes in base64");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"reputation ticket key file {path} cannot be read or made: {exception.Message} (set [reputation] ticket_key or ticket_key_file)", exception);
        }
    }
}
