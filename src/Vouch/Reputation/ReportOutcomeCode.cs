namespace Vouch.Reputation;

/// <summary>What became of a report; refusals are counted by reason and told to the reporter.</summary>
public enum ReportOutcomeCode
{
    /// <summary>counted: charged to the rows.</summary>
    Counted,

    /// <summary>cancelled: a not-spam report that withdrew the reporter's own spam report of the ticket.</summary>
    Cancelled,

    /// <summary>duplicate: this reporter has already reported this ticket.</summary>
    Duplicate,

    /// <summary>over_cap: the reporter has reached the day's units for this owner.</summary>
    OverCap,

    /// <summary>bad_mac: the ticket's MAC does not verify under the current or the previous key (tampered, or not ours).</summary>
    BadMac,

    /// <summary>too_old: the ticket is older than the report window.</summary>
    TooOld,

    /// <summary>no_ticket: the message carries no ticket, and no queue id links it to one.</summary>
    NoTicket,

    /// <summary>not_vouched: an ARF report whose source address its claimed owner does not vouch for now.</summary>
    NotVouched,

    /// <summary>unavailable: the store did not answer; nothing was counted (try again).</summary>
    Unavailable,
}
