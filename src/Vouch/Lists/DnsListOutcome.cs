namespace Vouch.Lists;

/// <summary>What one DNS list said about one subject.</summary>
public enum DnsListOutcome
{
    /// <summary>An A record in the list's listed answers (RFC 5782 §2.1), and none in its error answers.</summary>
    Listed,

    /// <summary>NXDOMAIN or NODATA (RFC 5782 §2.1), or only answers outside both the listed and the error ranges.</summary>
    NotListed,

    /// <summary>An answer in the list's error range (e.g. 127.255.255.254: query refused): never a listing.</summary>
    Error,

    /// <summary>SERVFAIL or a timeout: nothing is known; the caller decides whether to defer.</summary>
    TempFailure,

    /// <summary>The list failed its last self-test (RFC 5782 §5) and was not queried.</summary>
    Suspended,
}
