namespace Vouch.Policy;

/// <summary>Whether Vouch's decisions take effect.</summary>
public enum PolicyMode
{
    /// <summary>The grace period: never rejects or defers; logs and tags what enforcement would do.</summary>
    Monitor,

    /// <summary>Decisions take effect.</summary>
    Enforce,
}
