using System.Collections.Frozen;

namespace Vouch.Policy;

/// <summary>How evidence becomes a verdict and an action; every default is stated.</summary>
public sealed record PolicyOptions
{
    /// <summary>Monitor (the default: the grace period, never rejects or defers) or enforce.</summary>
    public PolicyMode Mode { get; init; } = PolicyMode.Monitor;

    /// <summary>When set, monitor until this moment and enforce from then on, whatever <see cref="Mode"/> says. Default null.</summary>
    public DateTimeOffset? EnforceFrom { get; init; }

    /// <summary>The decision table, tried in order. Default <see cref="DecisionTable.Default"/>.</summary>
    public IReadOnlyList<DecisionRule> Rules { get; init; } = DecisionTable.Default;

    /// <summary>
    /// What a listing on each DNS list does (by <c>DnsListDefinition.Name</c>), in place of the <c>block_listed</c>
    /// row's action. A list not named here, and the local block list, take the row's action. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, PolicyAction> ListActions { get; init; } = FrozenDictionary<string, PolicyAction>.Empty;

    /// <summary>
    /// The mode of the reputation rows ([reputation] mode): in monitor (the default, their grace period) they tag
    /// "would refuse" whatever the global mode; in enforce they refuse when the global mode enforces too.
    /// </summary>
    public PolicyMode ReputationMode { get; init; } = PolicyMode.Monitor;

    /// <summary>The mode in force at <paramref name="now"/>: enforce once <see cref="EnforceFrom"/> has come, otherwise <see cref="Mode"/>.</summary>
    public PolicyMode ModeAt(DateTimeOffset now) =>
        EnforceFrom is { } from ? (now >= from ? PolicyMode.Enforce : PolicyMode.Monitor) : Mode;
}
