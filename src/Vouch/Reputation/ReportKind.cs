namespace Vouch.Reputation;

/// <summary>What a report says about a message.</summary>
public enum ReportKind
{
    /// <summary>It is spam.</summary>
    Spam,

    /// <summary>It is not spam: cancels the reporter's own spam report of the same ticket, or counts as ham.</summary>
    Ham,
}
