namespace Vouch.Policy;

/// <summary>What Vouch concludes about a sending server.</summary>
public enum Verdict
{
    /// <summary>Registered: a domain vouches for the server, and its owner is in good standing.</summary>
    White,

    /// <summary>Not registered, a hard SPF fail, or a blocked owner or address.</summary>
    Black,

    /// <summary>Cannot tell now (DNS trouble), or nothing published where policy allows that.</summary>
    Grey,
}
