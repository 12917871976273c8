using Microsoft.Data.Sqlite;

namespace Vouch.Reputation;

/// <summary>The SQLite store's schema and the reads its readers and its writer share.</summary>
internal static class SqliteReputationSql
{
    /// <summary>
    /// The schema (research/reputation.md §5.7). rep_reporter keeps who reported spam against a row in 7-day buckets, as the
    /// Redis store's HyperLogLogs do, so R is counted alike; rep_queue is the brief's decision_log.
    /// </summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS rep_counter(row_id TEXT NOT NULL PRIMARY KEY, subject TEXT NOT NULL, s REAL NOT NULL, h REAL NOT NULL,
          d REAL NOT NULL, updated_ms INTEGER NOT NULL, last_ms INTEGER, rank REAL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rep_counter_subject ON rep_counter(subject);
        CREATE INDEX IF NOT EXISTS rep_counter_rank ON rep_counter(rank) WHERE rank IS NOT NULL;
        CREATE TABLE IF NOT EXISTS rep_state(row_id TEXT NOT NULL PRIMARY KEY, subject TEXT NOT NULL, state INTEGER NOT NULL, since_ms INTEGER NOT NULL,
          reason TEXT NOT NULL, pinned INTEGER NOT NULL, capped INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rep_state_subject ON rep_state(subject);
        CREATE INDEX IF NOT EXISTS rep_state_listed ON rep_state(state) WHERE state <> 0;
        CREATE TABLE IF NOT EXISTS rep_event(ticket TEXT NOT NULL, reporter TEXT NOT NULL, row_id TEXT NOT NULL, subject TEXT NOT NULL, kind INTEGER NOT NULL,
          source INTEGER NOT NULL, units REAL NOT NULL, method TEXT NOT NULL, client TEXT NOT NULL, at_ms INTEGER NOT NULL, cancelled INTEGER NOT NULL,
          PRIMARY KEY(ticket, reporter, row_id));
        CREATE INDEX IF NOT EXISTS rep_event_subject ON rep_event(subject, at_ms);
        CREATE INDEX IF NOT EXISTS rep_event_at ON rep_event(at_ms);
        CREATE TABLE IF NOT EXISTS rep_reporter(row_id TEXT NOT NULL, reporter TEXT NOT NULL, bucket INTEGER NOT NULL, subject TEXT NOT NULL,
          trusted INTEGER NOT NULL, PRIMARY KEY(row_id, reporter, bucket)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rep_reporter_subject ON rep_reporter(subject);
        CREATE INDEX IF NOT EXISTS rep_reporter_bucket ON rep_reporter(bucket);
        CREATE TABLE IF NOT EXISTS rep_reporter_day(subject TEXT NOT NULL, reporter TEXT NOT NULL, day INTEGER NOT NULL, units REAL NOT NULL,
          PRIMARY KEY(subject, reporter, day)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rep_reporter_day_day ON rep_reporter_day(day);
        CREATE TABLE IF NOT EXISTS rep_queue(queue_id TEXT NOT NULL PRIMARY KEY, ticket TEXT NOT NULL, at_ms INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rep_queue_at ON rep_queue(at_ms);
        CREATE TABLE IF NOT EXISTS rep_meta(name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS rep_audit(id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL,
          actor TEXT NOT NULL, at_ms INTEGER NOT NULL);
        """;

    /// <summary>The columns <see cref="ReadRecordsAsync"/> reads, from rep_state st joined with rep_counter c.</summary>
    public const string SelectRecords = """
        SELECT st.row_id, st.state, st.since_ms, st.reason, st.pinned, st.capped, c.s, c.h, c.d, c.updated_ms, c.last_ms
        FROM rep_state st LEFT JOIN rep_counter c ON c.row_id = st.row_id
        """;

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The texts are this class's constants; values always travel as parameters.
        command.CommandText = text;
#pragma warning restore CA2100
        Bind(command, parameters);
        return command;
    }

    /// <summary>Replaces the command's parameters with these.</summary>
    public static void Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    /// <summary>Reads the records a <see cref="SelectRecords"/> query returns.</summary>
    public static async Task<List<SqliteReputationRecord>> ReadRecordsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = new List<SqliteReputationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!ReputationKey.TryParseId(reader.GetString(0), out var key))
            {
                continue;
            }

            var since = FromMs(reader.GetInt64(2));
            var record = new SqliteReputationRecord(key!, since)
            {
                State = (ReputationState)reader.GetInt32(1),
                Since = since,
                Reason = reader.GetString(3),
                Pinned = reader.GetInt64(4) != 0,
                Capped = reader.GetInt64(5) != 0,
            };
            if (!reader.IsDBNull(6))
            {
                record.Counters = new ReputationCounters(reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), FromMs(reader.GetInt64(9)));
                record.LastReport = reader.IsDBNull(10) ? null : FromMs(reader.GetInt64(10));
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>R and the trusted-source flag of a row, with the parameters of <see cref="ReporterParameters"/>.</summary>
    public const string SelectReporters =
        "SELECT COUNT(DISTINCT reporter), COALESCE(MAX(trusted), 0) FROM rep_reporter WHERE row_id = $row AND bucket BETWEEN $first AND $last";

    /// <summary>The parameters of <see cref="SelectReporters"/>: the row and the buckets R counts at <paramref name="now"/>.</summary>
    public static (string Name, object? Value)[] ReporterParameters(string rowId, DateTimeOffset now, TimeSpan window)
    {
        var (first, last) = ReputationLedger.ReporterBuckets(now, window);
        return [("$row", rowId), ("$first", first), ("$last", last)];
    }

    /// <summary>Reads what a <see cref="SelectReporters"/> query returns: the distinct spam reporters and whether one was a trusted source.</summary>
    public static async Task<(int Reporters, bool Trusted)> ReadReportersAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt32(0), reader.GetInt64(1) != 0) : (0, false);
    }

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}
