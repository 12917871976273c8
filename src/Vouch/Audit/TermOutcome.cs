using System.Net;

namespace Vouch.Audit;

/// <summary>What one term's lookups gave, gathered while <see cref="SpfTreeWalk"/> looks at it.</summary>
internal sealed class TermOutcome
{
    /// <summary>The audited addresses the mechanism matches.</summary>
    public List<IPAddress> Matches { get; } = [];

    public SpfTermNotes Notes { get; set; }

    /// <summary>Void lookups the term itself caused.</summary>
    public int Voids { get; set; }

    public SpfBudgetNode? Child { get; set; }

    /// <summary>For a duplicate include: the lookups and void lookups of the subtree it evaluates again.</summary>
    public int ReusedLookups { get; set; }

    public int ReusedVoids { get; set; }

    public string? Detail { get; set; }
}
