using Vouch.DecisionLog;
using Vouch.Policy;

namespace Vouch.Cli.Rollout;

/// <summary>
/// <c>vouch rollout --config NEW.toml</c>: every recorded request decided again from its recorded evidence under
/// another decision table, without DNS, and the requests whose enforced action changes, by rule and owner.
/// </summary>
internal sealed class WhatIfComparison(PolicyOptions policy, string configuration, Func<DecisionRecord, string> ownerOf)
{
    private readonly Dictionary<(PolicyAction From, PolicyAction To, RuleCondition RuleBefore, RuleCondition RuleAfter), long> changes = [];
    private readonly Dictionary<(PolicyAction From, PolicyAction To), TopTable> owners = [];
    private readonly Dictionary<string, long> undecidableBecause = new(StringComparer.Ordinal);

    /// <summary>The new configuration's identity.</summary>
    public string Configuration { get; } = configuration;

    /// <summary>Requests decided again.</summary>
    public long Compared { get; private set; }

    /// <summary>Requests whose enforced action changed.</summary>
    public long Changed { get; private set; }

    /// <summary>Requests the new table needs evidence for that was not recorded (gathered "decisive").</summary>
    public long Undecidable { get; private set; }

    /// <summary>Enforced actions under the new table.</summary>
    public Dictionary<PolicyAction, long> Totals { get; } = [];

    /// <summary>Decides <paramref name="record"/> again and counts the difference.</summary>
    public void Add(DecisionRecord record, ReadOnlySpan<byte> line)
    {
        ArgumentNullException.ThrowIfNull(record);
        Decision decision;
        if (record.Evidence is not { } evidence)
        {
            decision = PolicyEngine.DecideUnreadable(record.Reason, policy, record.Time);
        }
        else if (Missing(evidence) is { } missing)
        {
            Undecidable++;
            undecidableBecause[missing] = undecidableBecause.GetValueOrDefault(missing) + 1;
            return;
        }
        else
        {
            decision = PolicyEngine.Decide(evidence, policy, record.Time);
        }

        Compared++;
        Totals[decision.EnforcedAction] = Totals.GetValueOrDefault(decision.EnforcedAction) + 1;
        if (decision.EnforcedAction == record.EnforcedAction)
        {
            return;
        }

        Changed++;
        var change = (record.EnforcedAction, decision.EnforcedAction, record.Rule, decision.Rule.When);
        changes[change] = changes.GetValueOrDefault(change) + 1;
        if (!owners.TryGetValue((change.Item1, change.Item2), out var table))
        {
            owners[(change.Item1, change.Item2)] = table = new TopTable(2000);
        }

        table.Add(ownerOf(record), record, line);
    }

    /// <summary>The changes, most first: from, to, the rule before and after, how many.</summary>
    public IEnumerable<(PolicyAction From, PolicyAction To, RuleCondition RuleBefore, RuleCondition RuleAfter, long Count)> Changes =>
        changes.OrderByDescending(c => c.Value).Select(c => (c.Key.From, c.Key.To, c.Key.RuleBefore, c.Key.RuleAfter, c.Value));

    /// <summary>The owners whose mail changes most, for each kind of change.</summary>
    public IEnumerable<(string Owner, long Count, PolicyAction From, PolicyAction To)> ByOwner(int count) =>
        owners.SelectMany(o => o.Value.Top(count).Select(e => (e.Key, e.Count, o.Key.From, o.Key.To))).OrderByDescending(o => o.Item2).Take(count);

    /// <summary>Why requests could not be decided again, with counts.</summary>
    public IReadOnlyDictionary<string, long> UndecidableBecause => undecidableBecause;

    /// <summary>
    /// The piece the new table would read before it decides that the recorded decision did not gather
    /// (<c>[checks] gather = "decisive"</c>), or null when the recorded evidence is enough.
    /// </summary>
    private string? Missing(Evidence evidence)
    {
        if (evidence.Skipped == EvidencePieces.None || evidence.TrustedNetwork is not null || evidence.OwnMxHost is not null)
        {
            return null;
        }

        var gathered = EvidencePieces.All & ~evidence.Skipped;
        foreach (var rule in policy.Rules)
        {
            var needs = PolicyEngine.Needs(rule.When, evidence, gathered);
            if (needs != EvidencePieces.None)
            {
                return $"row {rule.When.ToToken()} needs evidence that was not asked ({needs})";
            }

            if (PolicyEngine.Holds(rule.When, evidence))
            {
                return null;
            }
        }

        return null;
    }
}
