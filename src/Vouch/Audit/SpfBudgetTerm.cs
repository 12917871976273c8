using System.Net;
using Vouch.Network;

namespace Vouch.Audit;

/// <summary>One term of a record in the SPF budget tree, with what it costs at its place in first-match order.</summary>
/// <param name="Text">The term as written, e.g. "include:_spf.example.net" or "redirect=_spf.example.com".</param>
/// <param name="Column">The 1-based column of the term in its record.</param>
/// <param name="Target">The domain the term queries (macros expanded for the first audited address), or null for ip4, ip6 and all.</param>
/// <param name="Network">The network of an ip4 or ip6 term, else null.</param>
/// <param name="Cost">The term's own DNS-querying cost: 1 for include, a, mx, ptr, exists and redirect, else 0 (RFC 7208 §4.6.4).</param>
/// <param name="SubtreeCost">The cost of the term and of everything its include or redirect target evaluates.</param>
/// <param name="RunningTotal">DNS-querying terms counted from the root up to and including this term's subtree, in evaluation order; a term never reached keeps the total before it.</param>
/// <param name="VoidLookups">Void lookups (NXDOMAIN or no data) the term itself caused.</param>
/// <param name="Matches">The audited addresses the mechanism matches if evaluation gets there (for include: those its target passes).</param>
/// <param name="Child">The include or redirect target's record, or null.</param>
/// <param name="Notes">What the audit noticed.</param>
/// <param name="Detail">A short description of what DNS said (e.g. "2 MX hosts, 3 addresses"), or null.</param>
public sealed record SpfBudgetTerm(
    string Text,
    int Column,
    string? Target,
    AddressPrefix? Network,
    int Cost,
    int SubtreeCost,
    int RunningTotal,
    int VoidLookups,
    IReadOnlyList<IPAddress> Matches,
    SpfBudgetNode? Child,
    SpfTermNotes Notes,
    string? Detail);
