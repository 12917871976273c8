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
    IReadOnlyList<SpfProvider> Providers)
{
    /// <summary>The receiver's limit of DNS-querying terms the counts are measured against (RFC 7208 §4.6.4: 10).</summary>
    public int MaxDnsLookups { get; init; } = 10;

    /// <summary>
    /// The lookups a term has to spare: how many more DNS-querying terms evaluated before it (or inside it) the
    /// limit allows before the term is never reached and the servers it matches get permerror instead of pass.
    /// </summary>
    public int Spare(SpfBudgetTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return Math.Max(0, MaxDnsLookups - term.RunningTotal);
    }

    /// <summary>The audited servers one more include before <paramref name="term"/> would break: those it matches, when it has no lookup to spare.</summary>
    public IReadOnlyList<IPAddress> BrokenByOneMore(SpfBudgetTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var reached = !term.Notes.HasFlag(SpfTermNotes.BeyondLimit) && !term.Notes.HasFlag(SpfTermNotes.NeverReached);
        var isAll = term.Text.EndsWith("all", StringComparison.OrdinalIgnoreCase) && term.Network is null && term.Target is null;
        return reached && !isAll && Spare(term) == 0 ? term.Matches : [];
    }
}
