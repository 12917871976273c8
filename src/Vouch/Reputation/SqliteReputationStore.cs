using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using static Vouch.Reputation.SqliteReputationSql;

namespace Vouch.Reputation;

/// <summary>
/// The reputation store of one host: a SQLite database in WAL mode (research/reputation.md §5.7). One writer applies
/// everything queued in one transaction per batch: what was queued while the previous batch was written, at most 500
/// items (group commit: a lone report is written at once, and under load batches grow by themselves; waiting for more
/// before a batch only delayed every caller, since a report's outcome is its batch's commit); readers open a fresh pooled connection per call. Delivered counts and
/// queue links are summed in memory and written with the next batch, at the latest after 1 s (so that another process, `vouch report --queue-id`, sees them soon). Several processes
/// (or store instances) may share one file on one host: SQLite's lock keeps one writer at a time. The directory and
/// the file are made on first use.
/// </summary>
public sealed class SqliteReputationStore : IReputationStore
{
    private const int BatchLimit = 500;
    private const int QueueCapacity = 10_000;
    private static readonly TimeSpan DefaultBatchWindow = TimeSpan.Zero;
    private static readonly TimeSpan DeliveryFlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromMinutes(10);

    private readonly ReputationOptions options;
    private readonly TimeProvider time;
    private readonly TimeSpan batchWindow;
    private readonly string path;
    private readonly string connectionString;
    private readonly Channel<Work> queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim opening = new(1, 1);
    private readonly Lock pendingLock = new();
    private readonly CancellationTokenSource stopping = new();
    private Dictionary<string, PendingDelivery> pendingDeliveries = new(StringComparer.Ordinal);
    private Dictionary<string, PendingLink> pendingLinks = new(StringComparer.Ordinal);
    private Task? writer;
    private Task? maintenance;
    private int disposed;

    /// <summary>A store on <see cref="ReputationOptions.Path"/> (default /var/lib/vouch/reputation.db); nothing is opened until first use.</summary>
    /// <param name="options">The path, half-life, windows, cap and thresholds.</param>
    /// <param name="time">The clock pruning reads "now" from (default: the system clock).</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteReputationStore(ReputationOptions options, TimeProvider? time = null)
        : this(options, time, DefaultBatchWindow)
    {
    }

    /// <summary>A store whose batches wait up to <paramref name="batchWindow"/> for more work before they are written, instead of not at all (tests that count reports one by one).</summary>
    internal SqliteReputationStore(ReputationOptions options, TimeProvider? time, TimeSpan batchWindow)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options));
        this.options = options;
        this.time = time ?? TimeProvider.System;
        this.batchWindow = batchWindow;
        path = Path.GetFullPath(options.Path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <inheritdoc />
    public string Description => $"sqlite {path}";

    /// <inheritdoc />
    public event Action<string>? StateChanged;

    /// <inheritdoc />
    public Task<ReportOutcome> RecordAsync(ReputationReport report, CancellationToken cancellationToken)
    {
        ReputationLedger.Validate(report);
        return EnqueueAsync(batch => batch.RecordAsync(report), urgent: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Each row gets <paramref name="recipients"/> × its share; summed in memory until the next batch (at most 1 s).</remarks>
    public async Task AddDeliveriesAsync(IReadOnlyList<ReputationCharge> charges, double recipients, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ReputationLedger.ValidateCharges(charges, nameof(charges));
        if (!double.IsFinite(recipients) || recipients < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(recipients), recipients, "Recipients must be a number of at least 0.");
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        lock (pendingLock)
        {
            foreach (var charge in charges)
            {
                var add = recipients * charge.Share;
                pendingDeliveries[charge.Key.Id] = pendingDeliveries.TryGetValue(charge.Key.Id, out var pending)
                    ? pending.Add(add, at, charge.CapAtSuspect, options.HalfLife)
                    : new PendingDelivery(charge.Key, charge.CapAtSuspect, add, at);
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReputationRow>> RowsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return ReadAsync($"reading the rows of {subject}", async connection =>
        {
            await using var command = Command(connection, null, SelectRecords + " WHERE st.subject = $s ORDER BY st.row_id", ("$s", subject));
            return await ToRowsAsync(connection, await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false), now, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReputationRow>> ListedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (rows, capped) = await ReadAsync("reading the listed rows", async connection =>
        {
            await using var command = Command(connection, null, SelectRecords + " WHERE st.state <> 0 ORDER BY st.row_id");
            var records = await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
            return (await ToRowsAsync(connection, records, now, cancellationToken).ConfigureAwait(false), records.Select(r => r.Capped).ToList());
        }, cancellationToken).ConfigureAwait(false);

        var moved = rows.Where((row, i) => ReputationLedger.Judge(row, capped[i], now, options.Thresholds).State != row.State).Select(row => row.Key).ToList();
        if (moved.Count == 0)
        {
            return rows;
        }

        var judged = (await EnqueueAsync(batch => batch.RejudgeAsync(moved, now), urgent: true, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key.Id, StringComparer.Ordinal);
        return [.. rows.Select(row => judged.TryGetValue(row.Key.Id, out var again) ? again : row).Where(row => row.State != ReputationState.Neutral)];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReputationRow>> TopAsync(int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ReadAsync("reading the top rows", async connection =>
        {
            await using var command = Command(connection, null, SelectRecords + " WHERE c.rank IS NOT NULL ORDER BY c.rank DESC LIMIT $n", ("$n", count));
            return await ToRowsAsync(connection, await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false), now, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReputationEvent>> EventsAsync(string subject, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync<IReadOnlyList<ReputationEvent>>($"reading the events of {subject}", async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT ticket, reporter, row_id, kind, source, units, method, client, at_ms, cancelled FROM rep_event
                WHERE subject = $s ORDER BY at_ms DESC, ticket, reporter, row_id LIMIT $n
                """, ("$s", subject), ("$n", limit));
            var events = new List<ReputationEvent>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ReputationKey.TryParseId(reader.GetString(2), out var key))
                {
                    events.Add(new ReputationEvent(reader.GetString(0), reader.GetString(1), key!, (ReportKind)reader.GetInt32(3), (ReportSource)reader.GetInt32(4),
                        reader.GetDouble(5), reader.GetString(6), reader.GetString(7), FromMs(reader.GetInt64(8)), reader.GetInt64(9) != 0));
                }
            }

            return events;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An audit action of "unpin" lifts the pin instead (the row is judged by its counts again).</remarks>
    public Task PinAsync(ReputationKey key, ReputationState state, ReputationAdminAction audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(audit);
        return EnqueueAsync(async batch =>
        {
            await batch.PinAsync(key, state, audit).ConfigureAwait(false);
            return true;
        }, urgent: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task ClearAsync(string subject, ReputationAdminAction audit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(audit);
        return EnqueueAsync(async batch =>
        {
            await batch.ClearAsync(subject, audit).ConfigureAwait(false);
            return true;
        }, urgent: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReputationAdminAction>> AuditAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync<IReadOnlyList<ReputationAdminAction>>("reading the audit", async connection =>
        {
            await using var command = Command(connection, null, "SELECT action, subject, reason, actor, at_ms FROM rep_audit ORDER BY at_ms DESC, id DESC LIMIT $n", ("$n", limit));
            var actions = new List<ReputationAdminAction>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                actions.Add(new ReputationAdminAction(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), FromMs(reader.GetInt64(4))));
            }

            return actions;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Kept in memory until the next batch (at most 1 s); <see cref="FindTicketAsync"/> sees it at once.</remarks>
    public async Task LinkQueueIdAsync(string queueId, string ticket, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueId);
        ArgumentException.ThrowIfNullOrEmpty(ticket);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        lock (pendingLock)
        {
            pendingLinks[queueId] = new PendingLink(ticket, at);
        }
    }

    /// <inheritdoc />
    public Task<string?> FindTicketAsync(string queueId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueId);
        lock (pendingLock)
        {
            if (pendingLinks.TryGetValue(queueId, out var pending))
            {
                return Task.FromResult<string?>(pending.Ticket);
            }
        }

        return ReadAsync($"finding the ticket of queue id {queueId}", async connection =>
        {
            await using var command = Command(connection, null, "SELECT ticket FROM rep_queue WHERE queue_id = $q", ("$q", queueId));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<byte[]> ReporterSaltAsync(CancellationToken cancellationToken) => ReadAsync("reading the reporter salt", async connection =>
    {
        // INSERT OR IGNORE: whoever comes first makes it; everyone reads the one that stayed.
        var fresh = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using (var insert = Command(connection, null, "INSERT OR IGNORE INTO rep_meta(name, value) VALUES ('reporter_salt', $v)", ("$v", fresh)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var select = Command(connection, null, "SELECT value FROM rep_meta WHERE name = 'reporter_salt'");
        return Convert.FromBase64String((string)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }, cancellationToken);

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken) => EnqueueAsync(_ => Task.FromResult(true), urgent: true, cancellationToken);

    /// <summary>Prunes what has aged out at <paramref name="now"/> and truncates the write-ahead log; the store does this every 10 minutes by itself.</summary>
    internal Task MaintainAsync(DateTimeOffset now, CancellationToken cancellationToken) => EnqueueAsync(async batch =>
    {
        await batch.PruneAsync(now).ConfigureAwait(false);
        batch.Checkpoint = true;
        return true;
    }, urgent: true, cancellationToken);

    /// <summary>Applies what is queued, stops the writer and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        queue.Writer.TryComplete();
        if (writer is not null)
        {
            await writer.ConfigureAwait(false);
        }

        if (maintenance is not null)
        {
            await maintenance.ConfigureAwait(false);
        }

        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        stopping.Dispose();
        opening.Dispose();
    }

    private async Task<T> EnqueueAsync<T>(Func<SqliteReputationBatch, Task<T>> apply, bool urgent, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var work = new Work<T>(apply, urgent);
        try
        {
            await queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteReputationStore));
        }

        return await work.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(string what, Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(isWriter: false, cancellationToken).ConfigureAwait(false);
            return await read(connection).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new ReputationStoreException($"reputation store {path}: {what} failed: {e.Message}", e);
        }
    }

    private async Task<IReadOnlyList<ReputationRow>> ToRowsAsync(SqliteConnection connection, List<SqliteReputationRecord> records, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<ReputationRow>(records.Count);
        foreach (var record in records)
        {
            await using var command = Command(connection, null, SelectReporters, ReporterParameters(record.Key.Id, now, options.ReporterWindow));
            var (reporters, trusted) = await ReadReportersAsync(command, cancellationToken).ConfigureAwait(false);
            rows.Add(record.ToRow(now, options.HalfLife, reporters, trusted));
        }

        return rows;
    }

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (Volatile.Read(ref writer) is not null)
        {
            return;
        }

        await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (writer is not null)
            {
                return;
            }

            var folder = Path.GetDirectoryName(path);
            try
            {
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReputationStoreException($"reputation store {path}: cannot create the folder {folder}: {e.Message}", e);
            }

            SqliteConnection connection;
            try
            {
                connection = await OpenAsync(isWriter: true, cancellationToken).ConfigureAwait(false);
                await using var schema = Command(connection, null, Schema);
                await schema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw new ReputationStoreException($"reputation store {path}: cannot open the database: {e.Message}", e);
            }

            Volatile.Write(ref writer, Task.Run(() => WriteLoopAsync(new SqliteStatements(connection)), CancellationToken.None));
            maintenance = Task.Run(MaintainLoopAsync, CancellationToken.None);
        }
        finally
        {
            opening.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(bool isWriter, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = Command(connection, null, isWriter
                ? "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                : "PRAGMA busy_timeout = 5000;");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WriteLoopAsync(SqliteStatements? statements)
    {
        var reader = queue.Reader;
        while (true)
        {
            bool more;
            using (var wake = new CancellationTokenSource(DeliveryFlushInterval))
            {
                try
                {
                    more = await reader.WaitToReadAsync(wake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    more = true;
                }
            }

            var batch = new List<Work>();
            if (more)
            {
                await CollectAsync(reader, batch).ConfigureAwait(false);
            }

            statements = await ApplyAsync(statements, batch).ConfigureAwait(false);
            if (!more)
            {
                break;
            }
        }

        if (statements is not null)
        {
            await statements.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Takes what is queued: up to 500 items, waiting up to the batch window for more unless an urgent item asks to go at once.</summary>
    private async Task CollectAsync(ChannelReader<Work> reader, List<Work> batch)
    {
        var urgent = Drain(reader, batch);
        if (urgent || batch.Count == 0 || batch.Count >= BatchLimit || batchWindow <= TimeSpan.Zero)
        {
            return;
        }

        using var window = new CancellationTokenSource(batchWindow);
        while (batch.Count < BatchLimit)
        {
            try
            {
                if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false) || Drain(reader, batch))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static bool Drain(ChannelReader<Work> reader, List<Work> batch)
    {
        var urgent = false;
        while (batch.Count < BatchLimit && reader.TryRead(out var work))
        {
            batch.Add(work);
            urgent |= work.Urgent;
        }

        return urgent;
    }

    /// <summary>Applies one batch, with the deliveries and links summed so far, in one transaction; returns the writer's connection and kept commands (null after a failure, to be opened again).</summary>
    private async Task<SqliteStatements?> ApplyAsync(SqliteStatements? statements, List<Work> batch)
    {
        Dictionary<string, PendingDelivery> deliveries;
        Dictionary<string, PendingLink> links;
        lock (pendingLock)
        {
            (deliveries, pendingDeliveries) = (pendingDeliveries, new(StringComparer.Ordinal));
            (links, pendingLinks) = (pendingLinks, new(StringComparer.Ordinal));
        }

        if (batch.Count == 0 && deliveries.Count == 0 && links.Count == 0)
        {
            return statements;
        }

        HashSet<string> changed;
        try
        {
            statements ??= new SqliteStatements(await OpenAsync(isWriter: true, CancellationToken.None).ConfigureAwait(false));
            var connection = statements.Connection;
            bool checkpoint;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                var writes = new SqliteReputationBatch(statements, transaction, options, CancellationToken.None);
                foreach (var delivery in deliveries.Values)
                {
                    await writes.AddDeliveriesAsync(delivery.Key, delivery.Capped, delivery.Recipients, delivery.At).ConfigureAwait(false);
                }

                foreach (var (queueId, link) in links)
                {
                    await writes.LinkAsync(queueId, link.Ticket, link.At).ConfigureAwait(false);
                }

                foreach (var work in batch)
                {
                    await work.ApplyAsync(writes).ConfigureAwait(false);
                }

                await writes.SaveAsync().ConfigureAwait(false);
                transaction.Commit();
                changed = writes.ChangedSubjects;
                checkpoint = writes.Checkpoint;
            }

            if (checkpoint)
            {
                await using var truncate = Command(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)");
                await truncate.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Whatever failed, the callers waiting on this batch get a store error, and the writer lives on.
            var error = new ReputationStoreException($"reputation store {path}: writing {batch.Count} queued items failed: {e.Message}", e);
            foreach (var work in batch)
            {
                work.Fail(error);
            }

            lock (pendingLock)
            {
                foreach (var (id, delivery) in deliveries)
                {
                    pendingDeliveries[id] = pendingDeliveries.TryGetValue(id, out var later) ? later.Add(delivery.Recipients, delivery.At, delivery.Capped, options.HalfLife) : delivery;
                }

                foreach (var (queueId, link) in links)
                {
                    pendingLinks.TryAdd(queueId, link);
                }
            }

            if (statements is not null)
            {
                await statements.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }

        foreach (var work in batch)
        {
            work.Complete();
        }

        Announce(changed);
        return statements;
    }

    private void Announce(HashSet<string> subjects)
    {
        foreach (var subject in subjects)
        {
            try
            {
                StateChanged?.Invoke(subject);
            }
            catch (Exception)
            {
                // A subscriber's failure must not stop the writer; the state map refreshes on its own interval anyway.
            }
        }
    }

    private async Task MaintainLoopAsync()
    {
        using var timer = new PeriodicTimer(MaintenanceInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await MaintainAsync(time.GetUtcNow(), stopping.Token).ConfigureAwait(false);
                }
                catch (ReputationStoreException)
                {
                    // The next round tries again; the writer has already failed what it could not write.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    private readonly record struct PendingLink(string Ticket, DateTimeOffset At);

    /// <summary>Deliveries to one row summed in memory, decayed to the latest of their times.</summary>
    private readonly record struct PendingDelivery(ReputationKey Key, bool Capped, double Recipients, DateTimeOffset At)
    {
        public PendingDelivery Add(double recipients, DateTimeOffset at, bool capped, TimeSpan halfLife) => at > At
            ? this with { Recipients = (Recipients * ReputationModel.DecayFactor(at - At, halfLife)) + recipients, At = at, Capped = capped }
            : this with { Recipients = Recipients + (recipients * ReputationModel.DecayFactor(At - at, halfLife)), Capped = capped };
    }

    private abstract class Work(bool urgent)
    {
        public bool Urgent => urgent;

        public abstract Task ApplyAsync(SqliteReputationBatch batch);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class Work<T>(Func<SqliteReputationBatch, Task<T>> apply, bool urgent) : Work(urgent)
    {
        private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public Task<T> Done => done.Task;

        public override async Task ApplyAsync(SqliteReputationBatch batch) => result = await apply(batch).ConfigureAwait(false);

        public override void Complete() => done.TrySetResult(result!);

        public override void Fail(Exception error) => done.TrySetException(error);
    }
}
