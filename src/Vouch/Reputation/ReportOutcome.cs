namespace Vouch.Reputation;

/// <summary>What a report did: its outcome, the units counted, and the rows it charged as they stand after it.</summary>
/// <param name="Code">Counted, or why not.</param>
/// <param name="Units">Units charged to the first row (after caps); 0 when nothing was counted.</param>
/// <param name="Rows">The charged rows after the report (empty when nothing was counted).</param>
/// <param name="Detail">A few words for the reporter (why refused), or "".</param>
public sealed record ReportOutcome(ReportOutcomeCode Code, double Units, IReadOnlyList<ReputationRow> Rows, string Detail)
{
    /// <summary>A refusal with its reason.</summary>
    public static ReportOutcome Refused(ReportOutcomeCode code, string detail) => new(code, 0, [], detail);

    /// <summary>The outcome's word: counted, cancelled, duplicate, over_cap, bad_mac, too_old, no_ticket, not_vouched, unavailable.</summary>
    public string Token => Code switch
    {
        ReportOutcomeCode.Counted => "counted",
        ReportOutcomeCode.Cancelled => "cancelled",
        ReportOutcomeCode.Duplicate => "duplicate",
        ReportOutcomeCode.OverCap => "over_cap",
        ReportOutcomeCode.BadMac => "bad_mac",
        ReportOutcomeCode.TooOld => "too_old",
        ReportOutcomeCode.NoTicket => "no_ticket",
        ReportOutcomeCode.NotVouched => "not_vouched",
        _ => "unavailable",
    };
}
