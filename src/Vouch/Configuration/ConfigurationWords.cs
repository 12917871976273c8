using Vouch.Lists;
using Vouch.Policy;
using Vouch.Reputation;

namespace Vouch.Configuration;

/// <summary>
/// The words the configuration file uses for Vouch's enumerations, in the order messages list them. Each is the one
/// mapping of its enumeration: where output writes the same values (JSON, logs, <see cref="Decision.Token"/>,
/// <see cref="RuleConditionExtensions.ToToken"/>), these lists are made from that, so a word is written once.
/// </summary>
internal static class ConfigurationWords
{
    /// <summary>mode: "monitor" or "enforce".</summary>
    public static IReadOnlyList<(string Word, PolicyMode Value)> Modes { get; } = Tokens<PolicyMode>();

    /// <summary>Actions of rules, DNS lists and the policy shortcuts: "accept", "tag", "defer", "reject".</summary>
    public static IReadOnlyList<(string Word, PolicyAction Value)> Actions { get; } = Tokens<PolicyAction>();

    /// <summary>Verdicts of rules: "white", "black", "grey".</summary>
    public static IReadOnlyList<(string Word, Verdict Value)> Verdicts { get; } = Tokens<Verdict>();

    /// <summary>Conditions of rules: their names from <see cref="RuleConditionExtensions.ToToken"/> ("softfail" and "permerror" are single words, as in RFC 7208).</summary>
    public static IReadOnlyList<(string Word, RuleCondition Value)> Conditions { get; } =
        [.. Enum.GetValues<RuleCondition>().Select(condition => (condition.ToToken(), condition))];

    /// <summary>Types of DNS lists: "address", "domain".</summary>
    public static IReadOnlyList<(string Word, DnsListKind Value)> ListKinds { get; } = Tokens<DnsListKind>();

    /// <summary>[server] failure_action: "auto", "dunno", "defer".</summary>
    public static IReadOnlyList<(string Word, FailureAction Value)> FailureActions { get; } = Tokens<FailureAction>();

    /// <summary>[checks] gather: "auto", "all", "decisive".</summary>
    public static IReadOnlyList<(string Word, EvidenceGathering Value)> Gatherings { get; } = Tokens<EvidenceGathering>();

    /// <summary>[server] header: the header names as they are written, with hyphens.</summary>
    public static IReadOnlyList<(string Word, TagHeader Value)> Headers { get; } =
    [
        ("received-spf", TagHeader.ReceivedSpf),
        ("authentication-results", TagHeader.AuthenticationResults),
        ("x-rmx", TagHeader.XRmx),
        ("none", TagHeader.None),
    ];

    /// <summary>[reputation] store: "sqlite", "redis".</summary>
    public static IReadOnlyList<(string Word, ReputationStoreKind Value)> ReputationStores { get; } = Tokens<ReputationStoreKind>();

    /// <summary>[reputation] suspect_action: "tag", "defer-once".</summary>
    public static IReadOnlyList<(string Word, bool Value)> SuspectActions { get; } = [("tag", false), ("defer-once", true)];

    /// <summary>[milter] decide_at: "rcpt", "eom".</summary>
    public static IReadOnlyList<(string Word, MilterDecisionPoint Value)> DecisionPoints { get; } = Tokens<MilterDecisionPoint>();

    /// <summary>[milter] headers: the headers a filter can insert.</summary>
    public static IReadOnlyList<(string Word, TagHeader Value)> MilterHeaders { get; } = [.. Headers.Where(word => word.Value != TagHeader.None)];

    /// <summary>The placeholders a rule's reason may use: <see cref="ReasonTemplate.Placeholders"/>.</summary>
    public static IReadOnlyList<string> ReasonPlaceholders => ReasonTemplate.Placeholders;

    // Every value in declaration order, by the word output uses for it.
    private static (string Word, T Value)[] Tokens<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(value => (Decision.Token(value), value))];
}
