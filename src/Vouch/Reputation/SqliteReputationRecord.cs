namespace Vouch.Reputation;

/// <summary>One row as the SQLite store keeps it (rep_counter joined with rep_state), changed in place while a batch runs.</summary>
internal sealed class SqliteReputationRecord(ReputationKey key, DateTimeOffset created)
{
    public ReputationKey Key { get; } = key;

    public ReputationCounters Counters { get; set; } = new(0, 0, 0, created);

    public DateTimeOffset? LastReport { get; set; }

    public ReputationState State { get; set; }

    public DateTimeOffset Since { get; set; } = created;

    public string Reason { get; set; } = "";

    public bool Pinned { get; set; }

    /// <summary>The latest charge said this row stops at suspect (a big provider's owner-level row).</summary>
    public bool Capped { get; set; }

    /// <summary>Changed in this batch, to be saved with it.</summary>
    public bool Dirty { get; set; }

    /// <summary>The row as read at <paramref name="now"/>, with R and the trusted-source flag counted for that moment.</summary>
    public ReputationRow ToRow(DateTimeOffset now, TimeSpan halfLife, int reporters, bool trusted) =>
        new(Key, Counters.DecayedTo(now, halfLife), reporters, trusted, State, Since, Pinned, Reason, LastReport);

    /// <summary>Takes a judged row's state back.</summary>
    public void Take(ReputationRow row)
    {
        if (row.State != State || row.Since != Since || row.Reason != Reason)
        {
            State = row.State;
            Since = row.Since;
            Reason = row.Reason;
            Dirty = true;
        }
    }
}
