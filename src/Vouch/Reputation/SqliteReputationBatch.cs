using Microsoft.Data.Sqlite;
using static Vouch.Reputation.SqliteReputationSql;

namespace Vouch.Reputation;

/// <summary>
/// One write transaction of the SQLite store's single writer: the queued reports, deliveries, links and administrators'
/// actions of one batch, applied in order against rows cached for the batch and saved at its end.
/// </summary>
internal sealed class SqliteReputationBatch(SqliteStatements statements, SqliteTransaction transaction, ReputationOptions options, CancellationToken cancellationToken)
{
    private readonly Dictionary<string, SqliteReputationRecord> records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long First, long Last, int Count, bool Trusted)> reporters = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Subject, string Reporter, int Day), double> days = [];

    /// <summary>Whether the writer should truncate the write-ahead log after this batch commits.</summary>
    public bool Checkpoint { get; set; }

    /// <summary>Subjects with a row whose state changed in this batch.</summary>
    public HashSet<string> ChangedSubjects { get; } = new(StringComparer.Ordinal);

    private TimeSpan HalfLife => options.HalfLife;

    public async Task<ReportOutcome> RecordAsync(ReputationReport report)
    {
        var subject = report.Charges[0].Key.Subject;
        var events = await ReadTicketAsync(subject, report.Ticket, report.Reporter).ConfigureAwait(false);
        if (events.Count > 0)
        {
            return report.Kind == ReportKind.Ham && events.Exists(e => e.Kind == ReportKind.Spam && !e.Cancelled)
                ? await CancelAsync(report, events).ConfigureAwait(false)
                : ReportOutcome.Refused(ReportOutcomeCode.Duplicate, "this reporter has already reported this message");
        }

        var day = ReputationLedger.Day(report.At);
        var used = await UsedAsync(subject, report.Reporter, day).ConfigureAwait(false);
        var units = ReputationLedger.Units(report.Weight, options.ReporterDailyCap, used);
        if (units <= 0)
        {
            return ReportOutcome.Refused(ReportOutcomeCode.OverCap, $"this reporter's units for {subject} today are used up");
        }

        days[(subject, report.Reporter, day)] = used + units;
        var rows = new List<ReputationRow>(report.Charges.Count);
        foreach (var charge in report.Charges)
        {
            var share = units * charge.Share;
            var record = await LoadAsync(charge.Key, report.At, create: true).ConfigureAwait(false);
            var counters = record!.Counters.DecayedTo(report.At, HalfLife);
            record.Counters = report.Kind == ReportKind.Spam ? counters with { Spam = counters.Spam + share } : counters with { Ham = counters.Ham + share };
            record.LastReport = record.LastReport is { } last && last > report.At ? last : report.At;
            record.Capped = charge.CapAtSuspect;
            record.Dirty = true;
            await InsertEventAsync(report, charge.Key, share).ConfigureAwait(false);
            if (report.Kind == ReportKind.Spam)
            {
                await AddReporterAsync(charge.Key, report.Reporter, report.At, report.IsTrustedSource).ConfigureAwait(false);
            }

            rows.Add(await JudgeAsync(record, report.At).ConfigureAwait(false));
        }

        return new ReportOutcome(ReportOutcomeCode.Counted, units, rows, "");
    }

    public async Task AddDeliveriesAsync(ReputationKey key, bool capped, double recipients, DateTimeOffset at)
    {
        var record = await LoadAsync(key, at, create: true).ConfigureAwait(false);
        var counters = record!.Counters.DecayedTo(at, HalfLife);
        record.Counters = counters with { Delivered = counters.Delivered + recipients };
        record.Capped = capped;
        record.Dirty = true;

        // Judging needs R, a read; a neutral row whose counts could not list it with any number of trusted reporters
        // needs none (most rows: skipping their read was a third of the flush).
        if (record.State != ReputationState.Neutral
            || ReputationModel.NextState(ReputationState.Neutral, record.Counters, int.MaxValue, true, capped, options.Thresholds) != ReputationState.Neutral)
        {
            await JudgeAsync(record, at).ConfigureAwait(false);
        }
    }

    public async Task LinkAsync(string queueId, string ticket, DateTimeOffset at)
    {
        var command = statements.For(transaction, "INSERT OR REPLACE INTO rep_queue(queue_id, ticket, at_ms) VALUES($q, $t, $at)",
            ("$q", queueId), ("$t", ticket), ("$at", Ms(at)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task PinAsync(ReputationKey key, ReputationState state, ReputationAdminAction audit)
    {
        var record = await LoadAsync(key, audit.At, create: true).ConfigureAwait(false);
        if (string.Equals(audit.Action, ReputationLedger.Unpin, StringComparison.OrdinalIgnoreCase))
        {
            record!.Pinned = false;
            record.Dirty = true;
            await JudgeAsync(record, audit.At).ConfigureAwait(false);
        }
        else
        {
            if (record!.State != state)
            {
                record.State = state;
                record.Since = audit.At;
                ChangedSubjects.Add(key.Subject);
            }

            record.Pinned = true;
            record.Reason = audit.Reason;
            record.Dirty = true;
        }

        await InsertAuditAsync(audit).ConfigureAwait(false);
    }

    public async Task ClearAsync(string subject, ReputationAdminAction audit)
    {
        foreach (var table in (string[])["rep_counter", "rep_state", "rep_event", "rep_reporter", "rep_reporter_day"])
        {
            var command = statements.For(transaction, $"DELETE FROM {table} WHERE subject = $s", ("$s", subject));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var id in records.Keys.Where(id => records[id].Key.Subject == subject).ToList())
        {
            records.Remove(id);
            reporters.Remove(id);
        }

        foreach (var day in days.Keys.Where(d => d.Subject == subject).ToList())
        {
            days.Remove(day);
        }

        ChangedSubjects.Add(subject);
        await InsertAuditAsync(audit).ConfigureAwait(false);
    }

    /// <summary>Judges rows again at <paramref name="now"/> (decay may have released them) and saves what changed.</summary>
    public async Task<IReadOnlyList<ReputationRow>> RejudgeAsync(IReadOnlyList<ReputationKey> keys, DateTimeOffset now)
    {
        var rows = new List<ReputationRow>(keys.Count);
        foreach (var key in keys)
        {
            if (await LoadAsync(key, now, create: false).ConfigureAwait(false) is { } record)
            {
                rows.Add(await JudgeAsync(record, now).ConfigureAwait(false));
            }
        }

        return rows;
    }

    /// <summary>Drops what has aged out: events past the retention, queue links past the report window, spent caps and reporter buckets, and counter rows that decayed to nothing.</summary>
    public async Task PruneAsync(DateTimeOffset now)
    {
        await ExecuteAsync("DELETE FROM rep_event WHERE at_ms < $cut", ("$cut", Ms(now - options.EventRetention))).ConfigureAwait(false);
        await ExecuteAsync("DELETE FROM rep_queue WHERE at_ms < $cut", ("$cut", Ms(now - options.ReportWindow))).ConfigureAwait(false);
        await ExecuteAsync("DELETE FROM rep_reporter_day WHERE day < $cut", ("$cut", ReputationLedger.Day(now.AddDays(-2)))).ConfigureAwait(false);
        await ExecuteAsync("DELETE FROM rep_reporter WHERE bucket < $cut", ("$cut", ReputationLedger.ReporterBuckets(now, options.ReporterWindow).First)).ConfigureAwait(false);
        var candidates = await ReadRecordsAsync(statements.For(transaction, SelectRecords + " WHERE st.pinned = 0"), cancellationToken).ConfigureAwait(false);

        foreach (var record in candidates)
        {
            var counters = record.Counters.DecayedTo(now, HalfLife);
            if (Math.Max(counters.Spam, Math.Max(counters.Ham, counters.Delivered)) < ReputationLedger.PruneBelow
                && ReputationModel.NextState(record.State, counters, 0, false, record.Capped, options.Thresholds) == ReputationState.Neutral)
            {
                if (record.State != ReputationState.Neutral)
                {
                    ChangedSubjects.Add(record.Key.Subject);
                }

                await ExecuteAsync("DELETE FROM rep_counter WHERE row_id = $row", ("$row", record.Key.Id)).ConfigureAwait(false);
                await ExecuteAsync("DELETE FROM rep_state WHERE row_id = $row", ("$row", record.Key.Id)).ConfigureAwait(false);
                records.Remove(record.Key.Id);
            }
        }
    }

    /// <summary>Writes the rows and caps the batch changed.</summary>
    public async Task SaveAsync()
    {
        foreach (var record in records.Values.Where(r => r.Dirty))
        {
            var id = record.Key.Id;
            var c = record.Counters;
            await ExecuteAsync("""
                INSERT INTO rep_counter(row_id, subject, s, h, d, updated_ms, last_ms, rank) VALUES($row, $subject, $s, $h, $d, $t, $last, $rank)
                ON CONFLICT(row_id) DO UPDATE SET s = excluded.s, h = excluded.h, d = excluded.d, updated_ms = excluded.updated_ms, last_ms = excluded.last_ms, rank = excluded.rank
                """,
                ("$row", id), ("$subject", record.Key.Subject), ("$s", c.Spam), ("$h", c.Ham), ("$d", c.Delivered), ("$t", Ms(c.UpdatedAt)),
                ("$last", record.LastReport is { } last ? Ms(last) : null), ("$rank", ReputationLedger.Rank(c.Spam, c.UpdatedAt, HalfLife))).ConfigureAwait(false);
            await ExecuteAsync("""
                INSERT INTO rep_state(row_id, subject, state, since_ms, reason, pinned, capped) VALUES($row, $subject, $state, $since, $reason, $pinned, $capped)
                ON CONFLICT(row_id) DO UPDATE SET state = excluded.state, since_ms = excluded.since_ms, reason = excluded.reason, pinned = excluded.pinned, capped = excluded.capped
                """,
                ("$row", id), ("$subject", record.Key.Subject), ("$state", (int)record.State), ("$since", Ms(record.Since)), ("$reason", record.Reason),
                ("$pinned", record.Pinned ? 1 : 0), ("$capped", record.Capped ? 1 : 0)).ConfigureAwait(false);
            record.Dirty = false;
        }

        foreach (var ((subject, reporter, day), units) in days)
        {
            await ExecuteAsync("INSERT OR REPLACE INTO rep_reporter_day(subject, reporter, day, units) VALUES($s, $r, $day, $u)",
                ("$s", subject), ("$r", reporter), ("$day", day), ("$u", units)).ConfigureAwait(false);
        }
    }

    private async Task<ReputationRow> JudgeAsync(SqliteReputationRecord record, DateTimeOffset at)
    {
        var (count, trusted) = await ReportersAsync(record.Key.Id, at).ConfigureAwait(false);
        var row = record.ToRow(at, HalfLife, count, trusted);
        var judged = ReputationLedger.Judge(row, record.Capped, at, options.Thresholds);
        if (judged.State != row.State)
        {
            ChangedSubjects.Add(record.Key.Subject);
        }

        record.Take(judged);
        return judged;
    }

    private async Task<ReportOutcome> CancelAsync(ReputationReport report, List<TicketEvent> events)
    {
        var firstId = report.Charges[0].Key.Id;
        var rows = new List<ReputationRow>(events.Count);
        double? units = null;
        foreach (var spam in events.Where(e => e.Kind == ReportKind.Spam && !e.Cancelled))
        {
            if (!ReputationKey.TryParseId(spam.RowId, out var key))
            {
                continue;
            }

            var record = await LoadAsync(key!, report.At, create: true).ConfigureAwait(false);
            var counters = record!.Counters.DecayedTo(report.At, HalfLife);
            var withdrawn = ReputationLedger.Withdrawal(spam.Units, spam.At, report.At, HalfLife);
            record.Counters = counters with { Spam = Math.Max(0, counters.Spam - withdrawn) };
            record.Dirty = true;
            await ExecuteAsync("UPDATE rep_event SET units = 0, cancelled = 1 WHERE ticket = $t AND reporter = $r AND row_id = $row",
                ("$t", report.Ticket), ("$r", report.Reporter), ("$row", spam.RowId)).ConfigureAwait(false);
            if (units is null || spam.RowId == firstId)
            {
                units = withdrawn;
            }

            rows.Add(await JudgeAsync(record, report.At).ConfigureAwait(false));
        }

        return new ReportOutcome(ReportOutcomeCode.Cancelled, units ?? 0, rows, "");
    }

    private async Task<SqliteReputationRecord?> LoadAsync(ReputationKey key, DateTimeOffset at, bool create)
    {
        var id = key.Id;
        if (records.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var command = statements.For(transaction, SelectRecords + " WHERE st.row_id = $row", ("$row", id));
        var found = await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
        var record = found.Count > 0 ? found[0] : create ? new SqliteReputationRecord(key, at) { Dirty = true } : null;
        if (record is not null)
        {
            records[id] = record;
        }

        return record;
    }

    private async Task<(int Count, bool Trusted)> ReportersAsync(string rowId, DateTimeOffset at)
    {
        var (first, last) = ReputationLedger.ReporterBuckets(at, options.ReporterWindow);
        if (reporters.TryGetValue(rowId, out var cached) && cached.First == first && cached.Last == last)
        {
            return (cached.Count, cached.Trusted);
        }

        var (count, trusted) = await ReadReportersAsync(statements.For(transaction, SelectReporters, ReporterParameters(rowId, at, options.ReporterWindow)), cancellationToken).ConfigureAwait(false);
        reporters[rowId] = (first, last, count, trusted);
        return (count, trusted);
    }

    /// <summary>Adds a spam reporter to the row's bucket of <paramref name="at"/>, keeping the batch's count of R current without counting again.</summary>
    private async Task AddReporterAsync(ReputationKey key, string reporter, DateTimeOffset at, bool trusted)
    {
        var id = key.Id;
        var (count, wasTrusted) = await ReportersAsync(id, at).ConfigureAwait(false);
        var (first, last) = ReputationLedger.ReporterBuckets(at, options.ReporterWindow);
        var command = statements.For(transaction,
            "SELECT 1 FROM rep_reporter WHERE row_id = $row AND reporter = $r AND bucket BETWEEN $first AND $last LIMIT 1",
            ("$row", id), ("$r", reporter), ("$first", first), ("$last", last));
        var known = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;

        await ExecuteAsync("""
            INSERT INTO rep_reporter(row_id, reporter, bucket, subject, trusted) VALUES($row, $r, $bucket, $s, $trusted)
            ON CONFLICT(row_id, reporter, bucket) DO UPDATE SET trusted = MAX(trusted, excluded.trusted)
            """,
            ("$row", id), ("$r", reporter), ("$bucket", ReputationLedger.Bucket(at)), ("$s", key.Subject), ("$trusted", trusted ? 1 : 0)).ConfigureAwait(false);
        reporters[id] = (first, last, known ? count : count + 1, wasTrusted || trusted);
    }

    private async Task<double> UsedAsync(string subject, string reporter, int day)
    {
        if (days.TryGetValue((subject, reporter, day), out var used))
        {
            return used;
        }

        var command = statements.For(transaction, "SELECT units FROM rep_reporter_day WHERE subject = $s AND reporter = $r AND day = $day",
            ("$s", subject), ("$r", reporter), ("$day", day));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is double value ? value : 0;
    }

    private async Task<List<TicketEvent>> ReadTicketAsync(string subject, string ticket, string reporter)
    {
        var events = new List<TicketEvent>();
        var command = statements.For(transaction, "SELECT row_id, kind, units, at_ms, cancelled FROM rep_event WHERE ticket = $t AND reporter = $r AND subject = $s",
            ("$t", ticket), ("$r", reporter), ("$s", subject));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new TicketEvent(reader.GetString(0), (ReportKind)reader.GetInt32(1), reader.GetDouble(2), FromMs(reader.GetInt64(3)), reader.GetInt64(4) != 0));
        }

        return events;
    }

    private Task InsertEventAsync(ReputationReport report, ReputationKey key, double units) => ExecuteAsync("""
        INSERT INTO rep_event(ticket, reporter, row_id, subject, kind, source, units, method, client, at_ms, cancelled)
        VALUES($t, $r, $row, $s, $kind, $source, $units, $method, $client, $at, 0)
        """,
        ("$t", report.Ticket), ("$r", report.Reporter), ("$row", key.Id), ("$s", key.Subject), ("$kind", (int)report.Kind), ("$source", (int)report.Source),
        ("$units", units), ("$method", report.Method ?? ""), ("$client", report.Client ?? ""), ("$at", Ms(report.At)));

    private Task InsertAuditAsync(ReputationAdminAction audit) => ExecuteAsync(
        "INSERT INTO rep_audit(action, subject, reason, actor, at_ms) VALUES($a, $s, $reason, $actor, $at)",
        ("$a", audit.Action), ("$s", audit.Subject), ("$reason", audit.Reason), ("$actor", audit.Actor), ("$at", Ms(audit.At)));

    private async Task ExecuteAsync(string text, params (string Name, object? Value)[] parameters)
    {
        var command = statements.For(transaction, text, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record TicketEvent(string RowId, ReportKind Kind, double Units, DateTimeOffset At, bool Cancelled);
}
