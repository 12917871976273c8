namespace Vouch.Registration;

/// <summary>What trying one candidate domain gave.</summary>
public enum CandidateOutcome
{
    /// <summary>The client is one of its MX hosts.</summary>
    Registered,

    /// <summary>Its MX hosts do not include the client.</summary>
    NotListed,

    /// <summary>It has no MX records (and implicit MX is off, or its own addresses do not match).</summary>
    NoMx,

    /// <summary>It publishes a Null MX (RFC 7505): it sends no mail and cannot vouch.</summary>
    NullMx,

    /// <summary>A DNS failure kept it from an answer.</summary>
    TempError,

    /// <summary>Not tried: the per-request query budget was spent.</summary>
    NotTried,
}
