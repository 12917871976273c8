namespace Vouch.MilterLoad;

/// <summary>How the server ended a transaction: the final reply to the end of the message, or an earlier refusal.</summary>
internal enum MilterOutcome
{
    /// <summary>SMFIR_CONTINUE at the end of the message: accepted (with any header changes).</summary>
    Continue,

    /// <summary>SMFIR_ACCEPT: accepted without further events.</summary>
    Accept,

    /// <summary>SMFIR_TEMPFAIL, or SMFIR_REPLYCODE with a 4xx code.</summary>
    TemporaryFailure,

    /// <summary>SMFIR_REJECT, or SMFIR_REPLYCODE with a 5xx code.</summary>
    Reject,

    /// <summary>SMFIR_DISCARD, or anything else that ends the message.</summary>
    Other,
}
