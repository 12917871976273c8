using Vouch.Lists;

namespace Vouch.Checks;

/// <summary>What the local lists and the DNS lists found for one request.</summary>
/// <param name="Allowed">The allow-list entry that matched, or null.</param>
/// <param name="LocalBlocked">The local block-list entry that matched, or null.</param>
/// <param name="DnsLists">Every DNS list answer, listed or not.</param>
internal sealed record ListFindings(ListMatch? Allowed, ListMatch? LocalBlocked, IReadOnlyList<DnsListResult> DnsLists);
