namespace Vouch.Spf;

/// <summary>What evaluating one term gave.</summary>
public enum SpfTermOutcome
{
    /// <summary>The mechanism matched: its qualifier decides the result.</summary>
    Match,

    /// <summary>The mechanism did not match: evaluation goes on.</summary>
    NoMatch,

    /// <summary>A DNS failure stopped evaluation with temperror.</summary>
    TempError,

    /// <summary>A limit or an error in published data stopped evaluation with permerror.</summary>
    PermError,

    /// <summary>A modifier was applied (redirect followed, exp evaluated).</summary>
    Applied,
}
