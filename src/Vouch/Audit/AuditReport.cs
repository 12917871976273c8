using Vouch.Policy;

namespace Vouch.Audit;

/// <summary>What the audit found: the servers, the verdict matrix and the findings.</summary>
/// <param name="Domain">The domain audited.</param>
/// <param name="Servers">The servers audited.</param>
/// <param name="Rows">The verdict matrix, one row per (server, HELO, MAIL FROM).</param>
/// <param name="Findings">Everything found, most severe first.</param>
public sealed record AuditReport(string Domain, IReadOnlyList<AuditServer> Servers, IReadOnlyList<AuditRow> Rows, IReadOnlyList<AuditFinding> Findings)
{
    /// <summary>The domain's SPF record tree: what each term costs, the running total, which audited server it matches.</summary>
    public SpfRecordReport? Spf { get; init; }

    /// <summary>The cheapest set of records found that makes the rows that are not white pass; empty when none is needed or none helps.</summary>
    public IReadOnlyList<AuditFix> Fixes { get; init; } = [];

    /// <summary>The other records that would make some of those rows pass, cheapest first, with what each costs.</summary>
    public IReadOnlyList<AuditFix> Alternatives { get; init; } = [];

    /// <summary>The audit again on the DNS with <see cref="Fixes"/> applied; null without fixes.</summary>
    public AuditReport? After { get; init; }

    /// <summary>Every row white: every audited server passes with every identity.</summary>
    public bool AllWhite => Rows.Count > 0 && Rows.All(row => row.Outcome.Decision.Verdict == Verdict.White);

    /// <summary>The servers that are white with every MAIL FROM and for bounces.</summary>
    public int WhiteServers => Servers.Count(s => Rows.Where(r => r.Address.Equals(s.Address)).All(r => r.Outcome.Decision.Verdict == Verdict.White));

    /// <summary>The findings of <paramref name="severity"/>.</summary>
    public IEnumerable<AuditFinding> Of(FindingSeverity severity) => Findings.Where(f => f.Severity == severity);
}
