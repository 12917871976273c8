namespace Vouch.Reputation;

/// <summary>A report the store is asked to count: already verified (its ticket's MAC, its age), not yet deduplicated or capped.</summary>
/// <param name="Ticket">The ticket id (or a stand-in for events without one, such as a spamtrap hit).</param>
/// <param name="Reporter">The reporter's hashed id: caps and the distinct-reporter count are per reporter.</param>
/// <param name="Kind">Spam or not spam.</param>
/// <param name="Source">Where it came from; its weight is <paramref name="Weight"/>.</param>
/// <param name="Weight">Units before caps.</param>
/// <param name="Charges">The rows it charges (the first is the one the vouch names).</param>
/// <param name="Method">The vouching method recorded at delivery, for the event log.</param>
/// <param name="Client">The client address recorded at delivery.</param>
/// <param name="At">When it is counted.</param>
public sealed record ReputationReport(string Ticket, string Reporter, ReportKind Kind, ReportSource Source, double Weight, IReadOnlyList<ReputationCharge> Charges, string Method, string Client, DateTimeOffset At)
{
    /// <summary>Whether the source is a human, a trap, ARF or an administrator: only those may block.</summary>
    public bool IsTrustedSource => Source is ReportSource.User or ReportSource.Trap or ReportSource.Arf or ReportSource.Admin;
}
