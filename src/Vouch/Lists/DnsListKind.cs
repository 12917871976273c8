namespace Vouch.Lists;

/// <summary>What a DNS list is keyed on (RFC 5782 §2, §3).</summary>
public enum DnsListKind
{
    /// <summary>A DNSBL of IP addresses: IPv4 reversed octets, IPv6 reversed nibbles, under the list's zone.</summary>
    Address,

    /// <summary>An RHSBL of domain names, queried as name.zone.</summary>
    Domain,
}
