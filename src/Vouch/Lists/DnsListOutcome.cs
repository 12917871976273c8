namespace Vouch.Lists;

/// <summary>What a DNS list said about one subject.</summary>
public enum DnsListOutcome
{
    /// <summary>Listed: an answer in the list's "listed" range.</summary>
    Listed,

    /// <summary>Not listed (NXDOMAIN, no data, or an answer outside both ranges).</summary>
    NotListed,

    /// <summary>The list answered with an error code (e.g. 127.255.255.x: query refused): never a listing (RFC 5782 §2.1).</summary>
    Error,

    /// <summary>A DNS failure: not listed, as far as anyone can tell now.</summary>
    TempFailure,

    /// <summary>The list failed its self-test and is not being asked.</summary>
    Suspended,
}
