using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Vouch.Reputation;

/// <summary>
/// The reputation store of a fleet: Redis or Valkey (research/reputation.md §5.7), through one multiplexed connection.
/// Every key of a subject carries the hash tag <c>{subject}</c>, so one Lua script counts a report atomically (dedupe,
/// cap, decay, add, distinct reporters, state). The set of listed rows and the top index are kept beside it by the
/// client, and every state change is published on <c>&lt;prefix&gt;:rep</c>, which <see cref="StateChanged"/> relays
/// from every node. A server that is down makes each call throw <see cref="ReputationStoreException"/> at once (about
/// 1 s for the first connection attempt); the connection is retried in the background.
/// </summary>
public sealed class RedisReputationStore : IReputationStore
{
    private const int TimeoutMs = 1000;
    private const int AuditLength = 10_000;
    private static readonly TimeSpan GateLifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan StateLifetime = TimeSpan.FromDays(180);
    private static readonly TimeSpan CapLifetime = TimeSpan.FromDays(2);

    private readonly ReputationOptions options;
    private readonly ConfigurationOptions configuration;
    private readonly string prefix;
    private readonly RedisChannel channel;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private ConnectionMultiplexer? multiplexer;
    private bool subscribed;
    private int disposed;

    /// <summary>A store on <see cref="ReputationOptions.Redis"/> under <see cref="ReputationOptions.RedisPrefix"/>; it connects on first use.</summary>
    /// <exception cref="ArgumentException">The server setting cannot be read, or the prefix is empty.</exception>
    public RedisReputationStore(ReputationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RedisPrefix, nameof(options));
        this.options = options;
        prefix = options.RedisPrefix;
        configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = TimeoutMs;
        configuration.SyncTimeout = TimeoutMs;
        configuration.AsyncTimeout = TimeoutMs;
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        channel = RedisChannel.Literal(prefix + ":rep");
        Description = "redis " + string.Join(",", configuration.EndPoints.Select(EndPointCollection.ToString));
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    /// <remarks>The store subscribes with its first call (connecting lazily), so a node should make one (ListedAsync) at start.</remarks>
    public event Action<string>? StateChanged;

    private string ListedKey => prefix + ":listed";

    private string TopKey => prefix + ":top";

    private string AuditKey => prefix + ":audit";

    /// <inheritdoc />
    public async Task<ReportOutcome> RecordAsync(ReputationReport report, CancellationToken cancellationToken)
    {
        var subject = ReputationLedger.Validate(report);
        var stem = Stem(subject);
        RedisKey[] keys = [stem + "c", stem + "st", stem + "ev", stem + "evd", $"{stem}tk:{report.Ticket}:{report.Reporter}",
            $"{stem}cap:{report.Reporter}:{ReputationLedger.Day(report.At).ToString(CultureInfo.InvariantCulture)}"];
        var arguments = Arguments("report", report.At, report.Charges.Select(c => (Suffix(c.Key), c.Share, c.CapAtSuspect ? "1" : "0")));
        arguments.AddRange([
            report.Kind == ReportKind.Spam ? "s" : "h", report.Weight, options.ReporterDailyCap, Seconds(CapLifetime),
            Seconds(GateLifetime > options.ReportWindow * 2 ? GateLifetime : options.ReportWindow * 2), Seconds(options.EventRetention),
            report.Ticket, report.Reporter, (int)report.Source, report.IsTrustedSource ? "1" : "0", report.Method ?? "", report.Client ?? "",
            options.EventRetention.TotalMilliseconds, Seconds(options.ReporterWindow + ReputationLedger.ReporterBucket)]);
        var result = await EvaluateAsync($"counting a report against {subject}", keys, arguments, cancellationToken).ConfigureAwait(false);
        var code = (string?)result[0] switch
        {
            "counted" => ReportOutcomeCode.Counted,
            "cancelled" => ReportOutcomeCode.Cancelled,
            "duplicate" => ReportOutcomeCode.Duplicate,
            "over_cap" => ReportOutcomeCode.OverCap,
            var other => throw new ReputationStoreException($"reputation store {Description}: the script answered '{other}'"),
        };
        if (code == ReportOutcomeCode.Duplicate)
        {
            return ReportOutcome.Refused(code, "this reporter has already reported this message");
        }

        if (code == ReportOutcomeCode.OverCap)
        {
            return ReportOutcome.Refused(code, $"this reporter's units for {subject} today are used up");
        }

        var rows = await AfterChangeAsync(subject, result, cancellationToken).ConfigureAwait(false);
        return new ReportOutcome(code, Number(result[1]), rows, "");
    }

    /// <inheritdoc />
    /// <remarks>Each row gets <paramref name="recipients"/> × its share, at once (nothing is held in memory).</remarks>
    public async Task AddDeliveriesAsync(IReadOnlyList<ReputationCharge> charges, double recipients, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var subject = ReputationLedger.ValidateCharges(charges, nameof(charges));
        if (!double.IsFinite(recipients) || recipients < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(recipients), recipients, "Recipients must be a number of at least 0.");
        }

        var arguments = Arguments("deliver", at, charges.Select(c => (Suffix(c.Key), c.Share, c.CapAtSuspect ? "1" : "0")));
        arguments.Add(recipients);
        var result = await EvaluateAsync($"adding deliveries to {subject}", SubjectKeys(subject), arguments, cancellationToken).ConfigureAwait(false);
        await AfterChangeAsync(subject, result, cancellationToken, deliveriesOnly: true).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReputationRow>> RowsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var result = await EvaluateAsync($"reading the rows of {subject}", SubjectKeys(subject), Arguments("read", now, []), cancellationToken).ConfigureAwait(false);
        return [.. ParseRows(subject, result).Select(r => r.Row).OrderBy(r => r.Key.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReputationRow>> ListedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var members = await RunAsync("reading the listed rows", db => db.SetMembersAsync(ListedKey), cancellationToken).ConfigureAwait(false);
        var keys = members.Select(m => ReputationKey.TryParseId(m.ToString(), out var key) ? key : null).OfType<ReputationKey>().ToList();
        var judged = await Task.WhenAll(keys.GroupBy(k => k.Subject, StringComparer.Ordinal).Select(async group =>
        {
            var arguments = Arguments("judge", now, group.Select(k => (Suffix(k), 1.0, "-")));
            var result = await EvaluateAsync($"judging the rows of {group.Key}", SubjectKeys(group.Key), arguments, cancellationToken).ConfigureAwait(false);
            var rows = await AfterChangeAsync(group.Key, result, cancellationToken).ConfigureAwait(false);
            var gone = group.Select(k => k.Id).Except(rows.Select(r => r.Key.Id), StringComparer.Ordinal).Select(id => (RedisValue)id).ToArray();
            if (gone.Length > 0)
            {
                await RunAsync("updating the listed rows", db => db.SetRemoveAsync(ListedKey, gone), cancellationToken).ConfigureAwait(false);
            }

            return rows;
        })).ConfigureAwait(false);
        return [.. judged.SelectMany(rows => rows).Where(r => r.State != ReputationState.Neutral).OrderBy(r => r.Key.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReputationRow>> TopAsync(int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var members = await RunAsync("reading the top rows", db => db.SortedSetRangeByRankAsync(TopKey, 0, count - 1, Order.Descending), cancellationToken).ConfigureAwait(false);
        var keys = members.Select(m => ReputationKey.TryParseId(m.ToString(), out var key) ? key : null).OfType<ReputationKey>().ToList();
        var wanted = keys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        var rows = await Task.WhenAll(keys.Select(k => k.Subject).Distinct(StringComparer.Ordinal).Select(subject => RowsAsync(subject, now, cancellationToken))).ConfigureAwait(false);
        return [.. rows.SelectMany(r => r).Where(r => wanted.Contains(r.Key.Id)).OrderByDescending(r => r.Counters.Spam)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReputationEvent>> EventsAsync(string subject, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        var stem = Stem(subject);
        var members = await RunAsync($"reading the events of {subject}", db => db.SortedSetRangeByRankAsync(stem + "ev", 0, limit - 1, Order.Descending), cancellationToken).ConfigureAwait(false);
        if (members.Length == 0)
        {
            return [];
        }

        var data = await RunAsync($"reading the events of {subject}", db => db.HashGetAsync(stem + "evd", members), cancellationToken).ConfigureAwait(false);
        var events = new List<ReputationEvent>();
        for (var i = 0; i < members.Length && events.Count < limit; i++)
        {
            var member = members[i].ToString();
            var split = member.IndexOf('\n', StringComparison.Ordinal);
            if (split < 0 || data[i].IsNull)
            {
                continue;
            }

            using var json = JsonDocument.Parse(data[i].ToString());
            var root = json.RootElement;
            var kind = root.GetProperty("kind").GetString() == "s" ? ReportKind.Spam : ReportKind.Ham;
            var at = DateTimeOffset.FromUnixTimeMilliseconds((long)root.GetProperty("at").GetDouble());
            foreach (var row in root.GetProperty("rows").EnumerateArray())
            {
                if (events.Count < limit && ParseSuffix(subject, row[0].GetString() ?? "") is { } key)
                {
                    events.Add(new ReputationEvent(member[..split], member[(split + 1)..], key, kind, (ReportSource)root.GetProperty("source").GetInt32(),
                        row[1].GetDouble(), root.GetProperty("method").GetString() ?? "", root.GetProperty("client").GetString() ?? "", at, root.GetProperty("cancelled").GetBoolean()));
                }
            }
        }

        return events;
    }

    /// <inheritdoc />
    /// <remarks>An audit action of "unpin" lifts the pin instead (the row is judged by its counts again).</remarks>
    public async Task PinAsync(ReputationKey key, ReputationState state, ReputationAdminAction audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(audit);
        var pin = !string.Equals(audit.Action, ReputationLedger.Unpin, StringComparison.OrdinalIgnoreCase);
        var arguments = Arguments("pin", audit.At, [(Suffix(key), 1.0, "-")]);
        arguments.AddRange([(int)state, pin ? "1" : "0", audit.Reason]);
        var result = await EvaluateAsync($"pinning {key}", SubjectKeys(key.Subject), arguments, cancellationToken).ConfigureAwait(false);
        await AfterChangeAsync(key.Subject, result, cancellationToken).ConfigureAwait(false);
        await WriteAuditAsync(audit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ClearAsync(string subject, ReputationAdminAction audit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(audit);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var pattern = Glob(Stem(subject)) + "*";
        var rowPattern = Glob(subject + "|") + "*";
        try
        {
            foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                var found = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(key);
                }

                foreach (var chunk in found.Chunk(500))
                {
                    await connection.GetDatabase().KeyDeleteAsync(chunk).WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            var db = connection.GetDatabase();
            var listed = new List<RedisValue>();
            await foreach (var member in db.SetScanAsync(ListedKey, rowPattern).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                listed.Add(member);
            }

            var top = new List<RedisValue>();
            await foreach (var entry in db.SortedSetScanAsync(TopKey, rowPattern).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                top.Add(entry.Element);
            }

            if (listed.Count > 0)
            {
                await db.SetRemoveAsync(ListedKey, [.. listed]).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (top.Count > 0)
            {
                await db.SortedSetRemoveAsync(TopKey, [.. top]).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            await db.PublishAsync(channel, subject).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Failure($"clearing {subject}", e);
        }

        await WriteAuditAsync(audit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReputationAdminAction>> AuditAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        var entries = await RunAsync("reading the audit", db => db.ListRangeAsync(AuditKey, 0, limit - 1), cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => JsonSerializer.Deserialize<AuditEntry>(e.ToString())).OfType<AuditEntry>()
            .Select(a => new ReputationAdminAction(a.Action, a.Subject, a.Reason, a.Actor, DateTimeOffset.FromUnixTimeMilliseconds(a.At)))];
    }

    /// <inheritdoc />
    public Task LinkQueueIdAsync(string queueId, string ticket, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueId);
        ArgumentException.ThrowIfNullOrEmpty(ticket);
        return RunAsync($"linking queue id {queueId}", db => db.StringSetAsync($"{prefix}:q:{queueId}", ticket, options.ReportWindow), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string?> FindTicketAsync(string queueId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueId);
        var ticket = await RunAsync($"finding the ticket of queue id {queueId}", db => db.StringGetAsync($"{prefix}:q:{queueId}"), cancellationToken).ConfigureAwait(false);
        return ticket.IsNull ? null : ticket.ToString();
    }

    /// <inheritdoc />
    public async Task<byte[]> ReporterSaltAsync(CancellationToken cancellationToken)
    {
        // SET NX: whoever comes first makes it; every node reads the one that stayed.
        var fresh = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var salt = await RunAsync("reading the reporter salt", async db =>
        {
            await db.StringSetAsync($"{prefix}:reporter-salt", fresh, when: When.NotExists).ConfigureAwait(false);
            return await db.StringGetAsync($"{prefix}:reporter-salt").ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return Convert.FromBase64String(salt.ToString());
    }

    /// <inheritdoc />
    /// <remarks>The Redis store writes everything at once, so nothing is left to flush.</remarks>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return Task.CompletedTask;
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (multiplexer is not null)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }

        connecting.Dispose();
    }

    private string Stem(string subject) => $"{prefix}:{{{subject}}}:";

    private RedisKey[] SubjectKeys(string subject)
    {
        var stem = Stem(subject);
        return [stem + "c", stem + "st", stem + "ev", stem + "evd"];
    }

    private static string Suffix(ReputationKey key) => key.Via + "|" + key.Sender;

    private static ReputationKey? ParseSuffix(string subject, string suffix) =>
        ReputationKey.TryParseId(subject + "|" + suffix, out var key) ? key : null;

    private static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);

    private static double Number(RedisResult value) => double.Parse((string)value!, CultureInfo.InvariantCulture);

    private static string Glob(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private List<RedisValue> Arguments(string mode, DateTimeOffset now, IEnumerable<(string Suffix, double Share, string Capped)> rows)
    {
        var t = options.Thresholds;
        var list = rows.ToList();
        var arguments = new List<RedisValue>(RedisReputationScript.FixedArguments + (list.Count * 3) + 16)
        {
            mode, now.ToUnixTimeMilliseconds(), options.HalfLife.TotalMilliseconds, options.ReporterWindow.TotalMilliseconds,
            ReputationLedger.ReporterBucket.TotalMilliseconds,
            t.BlockSpam, t.BlockReporters, t.BlockLowerBound, t.ReleaseSpam, t.ReleaseLowerBound,
            t.SuspectSpam, t.SuspectReporters, t.SuspectLowerBound, t.ClearSpam, t.ClearLowerBound,
            Seconds(options.EventRetention), Seconds(StateLifetime), list.Count,
        };
        foreach (var (suffix, share, capped) in list)
        {
            arguments.AddRange([suffix, share, capped]);
        }

        return arguments;
    }

    private async Task<RedisResult[]> EvaluateAsync(string what, RedisKey[] keys, List<RedisValue> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(what, db => db.ScriptEvaluateAsync(RedisReputationScript.Text, keys, [.. arguments]), cancellationToken).ConfigureAwait(false);
        return (RedisResult[]?)result ?? throw new ReputationStoreException($"reputation store {Description}: {what}: the script answered nothing");
    }

    private static IEnumerable<(ReputationRow Row, bool Changed)> ParseRows(string subject, RedisResult[] result)
    {
        for (var i = 2; i < result.Length; i++)
        {
            var f = (RedisResult[])result[i]!;
            if (ParseSuffix(subject, (string)f[0]!) is not { } key)
            {
                continue;
            }

            var last = (string)f[11]!;
            var counters = new ReputationCounters(Number(f[1]), Number(f[2]), Number(f[3]), FromMs(Number(f[4])));
            yield return (new ReputationRow(key, counters, (int)Number(f[5]), (string?)f[6] == "1", (ReputationState)(int)Number(f[7]), FromMs(Number(f[8])),
                (string?)f[9] == "1", (string?)f[10] ?? "", last.Length == 0 ? null : FromMs(Number(f[11]))), (string?)f[12] == "1");
        }
    }

    private static DateTimeOffset FromMs(double ms) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ms));

    /// <summary>
    /// After a change: keeps the listed set and the top index current, and announces a changed state to every node.
    /// Deliveries that changed no state move no rank (log2 S + t/T½ is the same after decay): then only the listed
    /// rows are added to the listed set again (which heals a lost update), and a neutral row costs no round trip.
    /// </summary>
    private async Task<IReadOnlyList<ReputationRow>> AfterChangeAsync(string subject, RedisResult[] result, CancellationToken cancellationToken, bool deliveriesOnly = false)
    {
        var parsed = ParseRows(subject, result).ToList();
        var changed = parsed.Where(p => p.Changed).Select(p => p.Row).ToList();
        if (deliveriesOnly && changed.Count == 0)
        {
            var listed = parsed.Where(p => p.Row.State != ReputationState.Neutral).Select(p => (RedisValue)p.Row.Key.Id).ToArray();
            if (listed.Length > 0)
            {
                await RunAsync($"indexing the rows of {subject}", db => db.SetAddAsync(ListedKey, listed), cancellationToken).ConfigureAwait(false);
            }

            return [.. parsed.Select(p => p.Row)];
        }

        await RunAsync($"indexing the rows of {subject}", async db =>
        {
            var batch = db.CreateBatch();
            var pending = new List<Task>();
            foreach (var (row, _) in parsed)
            {
                pending.Add(row.State == ReputationState.Neutral ? batch.SetRemoveAsync(ListedKey, row.Key.Id) : batch.SetAddAsync(ListedKey, row.Key.Id));
                pending.Add(ReputationLedger.Rank(row.Counters.Spam, row.Counters.UpdatedAt, options.HalfLife) is { } rank
                    ? batch.SortedSetAddAsync(TopKey, row.Key.Id, rank)
                    : batch.SortedSetRemoveAsync(TopKey, row.Key.Id));
            }

            if (changed.Count > 0)
            {
                pending.Add(batch.PublishAsync(channel, subject));
            }

            batch.Execute();
            await Task.WhenAll(pending).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return [.. parsed.Select(p => p.Row)];
    }

    private Task<bool> WriteAuditAsync(ReputationAdminAction audit, CancellationToken cancellationToken)
    {
        var entry = JsonSerializer.Serialize(new AuditEntry(audit.Action, audit.Subject, audit.Reason, audit.Actor, audit.At.ToUnixTimeMilliseconds()));
        return RunAsync("writing the audit", async db =>
        {
            await db.ListLeftPushAsync(AuditKey, entry).ConfigureAwait(false);
            await db.ListTrimAsync(AuditKey, 0, AuditLength - 1).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private async Task<T> RunAsync<T>(string what, Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation(connection.GetDatabase()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Failure(what, e);
        }
    }

    private ReputationStoreException Failure(string what, Exception e) => new($"reputation store {Description} ({prefix}): {what} failed: {e.Message}", e);

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var connection = Volatile.Read(ref multiplexer);
        if (connection is null)
        {
            await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                connection = multiplexer;
                if (connection is null)
                {
                    try
                    {
                        connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is RedisException or TimeoutException)
                    {
                        throw Failure("connecting", e);
                    }

                    Volatile.Write(ref multiplexer, connection);
                }
            }
            finally
            {
                connecting.Release();
            }
        }

        if (!Volatile.Read(ref subscribed) && connection.IsConnected)
        {
            await SubscribeAsync(connection).ConfigureAwait(false);
        }

        return connection;
    }

    private async Task SubscribeAsync(ConnectionMultiplexer connection)
    {
        try
        {
            await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => Announce(message.ToString())).ConfigureAwait(false);
            Volatile.Write(ref subscribed, true);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Tried again with the next call; the state map also refreshes on its own interval.
        }
    }

    private void Announce(string subject)
    {
        try
        {
            StateChanged?.Invoke(subject);
        }
        catch (Exception)
        {
            // A subscriber's failure must not reach the connection's thread.
        }
    }

    private sealed record AuditEntry(string Action, string Subject, string Reason, string Actor, long At);
}
