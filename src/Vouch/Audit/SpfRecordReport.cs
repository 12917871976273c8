using System.Net;
using Vouch.Network;

namespace Vouch.Audit;

/// <summary>What <see cref="SpfRecordAudit"/> found about a domain's SPF record tree.</summary>
/// <param name="Domain">The audited domain, normalized.</param>
/// <param name="RecordText">The domain's own SPF record text, or null (none, several, or DNS failed).</param>
/// <param name="Tree">The budget tree from the domain's record; null when there is no single record to walk.</param>
/// <param name="DnsLookups">DNS-querying terms counted over the whole tree in evaluation order, past the limit too (RFC 7208 §4.6.4: more than 10 is permerror).</param>
/// <param name="VoidLookups">Void lookups counted over the tree (RFC 7208 §4.6.4: more than 2 is permerror).</param>
/// <param name="Findings">The findings, in the order the walk met them, the totals last.</param>
/// <param name="OwnAddresses">Single addresses the owner's own terms authorise: ip4 /32, ip6 /128, and what own a and mx terms resolve to (host prefixes).</param>
/// <param name="OwnNetworks">Networks wider than one host that the owner's own terms authorise.</param>
/// <param name="Providers">Include targets in other organisations, summarised.</param>
public sealed record SpfRecordReport(
    string Domain,
    string? RecordText,
    SpfBudgetNode? Tree,
    int DnsLookups,
    int VoidLookups,
    IReadOnlyList<AuditFinding> Findings,
    IReadOnlyList<IPAddress> OwnAddresses,
    IReadOnlyList<AddressPrefix> OwnNetworks,
    IReadOnlyList<SpfProvider> Providers);
