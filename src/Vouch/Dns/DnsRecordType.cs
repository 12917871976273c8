namespace Vouch.Dns;

/// <summary>The resource record types Vouch reads or serves, with their RFC 1035 (and later) type codes.</summary>
public enum DnsRecordType
{
    /// <summary>IPv4 address (RFC 1035).</summary>
    A = 1,

    /// <summary>Authoritative name server (RFC 1035); kept in zone data, never asked for by the checks.</summary>
    NS = 2,

    /// <summary>Canonical name (RFC 1035).</summary>
    CNAME = 5,

    /// <summary>Start of authority (RFC 1035); its minimum field sets the negative-caching TTL (RFC 2308).</summary>
    SOA = 6,

    /// <summary>Domain name pointer (RFC 1035), for reverse DNS.</summary>
    PTR = 12,

    /// <summary>Mail exchange (RFC 1035).</summary>
    MX = 15,

    /// <summary>Text strings (RFC 1035).</summary>
    TXT = 16,

    /// <summary>IPv6 address (RFC 3596).</summary>
    AAAA = 28,

    /// <summary>Address prefix list (RFC 3123), read by RMX "apl:" entries.</summary>
    APL = 42,

    /// <summary>The obsolete SPF type (RFC 4408); RFC 7208 §3.1 says never to query it. Zone data may hold it.</summary>
    SPF = 99,
}
