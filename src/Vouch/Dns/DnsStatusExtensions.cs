namespace Vouch.Dns;

/// <summary>Helpers that classify a <see cref="DnsStatus"/>.</summary>
public static class DnsStatusExtensions
{
    /// <summary>True for a temporary failure (server failure or timeout): the question may succeed if asked again.</summary>
    public static bool IsTemporaryFailure(this DnsStatus status) =>
        status is DnsStatus.ServerFailure or DnsStatus.Timeout;

    /// <summary>True for a "void lookup" in the sense of RFC 7208 §4.6.4: NXDOMAIN or NOERROR with no answers.</summary>
    public static bool IsVoid(this DnsStatus status) =>
        status is DnsStatus.NoData or DnsStatus.NoSuchDomain;

    /// <summary>The word used for the status in traces and JSON output.</summary>
    public static string ToToken(this DnsStatus status) => status switch
    {
        DnsStatus.Records => "records",
        DnsStatus.NoData => "nodata",
        DnsStatus.NoSuchDomain => "nxdomain",
        DnsStatus.ServerFailure => "servfail",
        DnsStatus.Timeout => "timeout",
        _ => status.ToString(),
    };
}
