using System.Net;

namespace Vouch.Audit;

/// <summary>
/// An include target run by another organisation (a different organisational domain), summarised rather than
/// enumerated: everything below the include belongs to it.
/// </summary>
/// <param name="Domain">The include's target, e.g. "_spf.google.com".</param>
/// <param name="OrganizationalDomain">The target's organisational domain, e.g. "google.com".</param>
/// <param name="IncludedFrom">The domain whose record has the include.</param>
/// <param name="Ip4Terms">ip4 terms in the provider's subtree.</param>
/// <param name="Ip6Terms">ip6 terms in the provider's subtree.</param>
/// <param name="Ip4Addresses">IPv4 addresses those ip4 terms authorise (overlaps counted twice).</param>
/// <param name="Ip6Addresses">IPv6 addresses those ip6 terms authorise (overlaps counted twice; saturates at <see cref="UInt128.MaxValue"/>).</param>
/// <param name="Records">SPF records in the subtree, the target's own included.</param>
/// <param name="Lookups">DNS-querying terms the include costs, itself included.</param>
/// <param name="VoidLookups">Void lookups in the subtree.</param>
/// <param name="MatchedAddresses">The audited addresses the provider's record passes.</param>
public sealed record SpfProvider(
    string Domain,
    string OrganizationalDomain,
    string IncludedFrom,
    int Ip4Terms,
    int Ip6Terms,
    long Ip4Addresses,
    UInt128 Ip6Addresses,
    int Records,
    int Lookups,
    int VoidLookups,
    IReadOnlyList<IPAddress> MatchedAddresses);
