namespace Vouch.Reputation;

/// <summary>Which evidence vouched for the client: stored on every event and shown in explanations.</summary>
public enum VouchMethod
{
    /// <summary>mx: the client is an MX host of the MAIL FROM domain (the HELO name's for a bounce).</summary>
    Mx,

    /// <summary>spf: SPF for MAIL FROM is pass.</summary>
    Spf,

    /// <summary>rmx: the sender domain's RMX records grant the client.</summary>
    Rmx,

    /// <summary>ptr: the client is an MX host of the domain of its confirmed PTR name.</summary>
    Ptr,

    /// <summary>helo: the HELO name vouches (MX host of the HELO domain, or SPF for HELO is pass).</summary>
    Helo,
}
