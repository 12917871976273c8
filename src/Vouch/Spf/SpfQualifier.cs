namespace Vouch.Spf;

/// <summary>A directive's qualifier (RFC 7208 §4.6.2): the result given when its mechanism matches.</summary>
public enum SpfQualifier
{
    /// <summary>"+" (the default): pass.</summary>
    Pass,

    /// <summary>"-": fail.</summary>
    Fail,

    /// <summary>"~": softfail.</summary>
    SoftFail,

    /// <summary>"?": neutral.</summary>
    Neutral,
}
