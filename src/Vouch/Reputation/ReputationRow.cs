namespace Vouch.Reputation;

/// <summary>One row as a store reads it at a moment: decayed counts, reporters, state.</summary>
/// <param name="Key">The row.</param>
/// <param name="Counters">S, H and D, decayed to the moment of reading.</param>
/// <param name="Reporters">R: distinct reporters of spam in the reporter window (28 days).</param>
/// <param name="HasTrustedSource">Whether a human, trap, ARF or admin report is among them.</param>
/// <param name="State">The state.</param>
/// <param name="Since">When the row entered it.</param>
/// <param name="Pinned">True when an administrator pinned the state: then it does not move.</param>
/// <param name="Reason">Why the state is what it is (a pin's reason, or the counts that moved it).</param>
/// <param name="LastReport">When the last report was counted, or null.</param>
public sealed record ReputationRow(ReputationKey Key, ReputationCounters Counters, int Reporters, bool HasTrustedSource, ReputationState State, DateTimeOffset Since, bool Pinned, string Reason, DateTimeOffset? LastReport)
{
    /// <summary>A row with nothing recorded.</summary>
    public static ReputationRow Empty(ReputationKey key, DateTimeOffset now) =>
        new(key, new ReputationCounters(0, 0, 0, now), 0, false, ReputationState.Neutral, now, false, "", null);

    /// <summary>The numbers in a line: "S=12.0 H=0.0 D=40.0 R=6 LB=18.1%".</summary>
    public string Numbers => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"S={Counters.Spam:0.0} H={Counters.Ham:0.0} D={Counters.Delivered:0.0} R={Reporters} LB={Counters.LowerBound * 100:0.0#}%");
}
