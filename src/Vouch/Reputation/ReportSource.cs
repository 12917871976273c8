namespace Vouch.Reputation;

/// <summary>Where a report came from; each has its own weight (<see cref="ReputationOptions.Weights"/>).</summary>
public enum ReportSource
{
    /// <summary>A person moved the message to Junk (or out of it): weight 1.</summary>
    User,

    /// <summary>A spamtrap address received it: weight 3.</summary>
    Trap,

    /// <summary>A content filter rejected it: weight 0.5; filter reports alone never block.</summary>
    Filter,

    /// <summary>A content filter tagged it (add header): weight 0.25.</summary>
    FilterTag,

    /// <summary>An ARF report (RFC 5965) from a trusted reporter: weight 1.</summary>
    Arf,

    /// <summary>An administrator: weight 1.</summary>
    Admin,
}
