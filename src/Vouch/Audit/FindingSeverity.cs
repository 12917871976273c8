namespace Vouch.Audit;

/// <summary>How much an audit finding matters to the domain owner.</summary>
public enum FindingSeverity
{
    /// <summary>Some audited server is not white, or an RFC MUST breaks.</summary>
    Error,

    /// <summary>Works today, but fragile or against a SHOULD.</summary>
    Warn,

    /// <summary>Worth knowing.</summary>
    Info,

    /// <summary>DNS could not answer, so the audit could not tell: never reported as a missing record.</summary>
    TestError,
}
