namespace Vouch.PolicyLoad;

/// <summary>What a policy answer told Postfix, by the first word after "action=".</summary>
internal enum AnswerKind
{
    /// <summary>DUNNO: no opinion (Vouch's accept, and every skip).</summary>
    Dunno,

    /// <summary>PREPEND a header (Vouch's tag; in monitor mode, what enforcement would do).</summary>
    Prepend,

    /// <summary>A 4xx reply or DEFER.</summary>
    Defer,

    /// <summary>A 5xx reply or REJECT.</summary>
    Reject,

    /// <summary>Anything else.</summary>
    Other,
}
