using Vouch.Lists;
using Vouch.Policy;

namespace Vouch.Configuration;

/// <summary>The words the configuration file uses for Vouch's enumerations, in the order messages list them.</summary>
internal static class ConfigurationWords
{
    /// <summary>mode.</summary>
    public static IReadOnlyList<(string Word, PolicyMode Value)> Modes { get; } =
    [
        ("monitor", PolicyMode.Monitor),
        ("enforce", PolicyMode.Enforce),
    ];

    /// <summary>Actions of rules, DNS lists and the policy shortcuts.</summary>
    public static IReadOnlyList<(string Word, PolicyAction Value)> Actions { get; } =
    [
        ("accept", PolicyAction.Accept),
        ("tag", PolicyAction.Tag),
        ("defer", PolicyAction.Defer),
        ("reject", PolicyAction.Reject),
    ];

    /// <summary>Verdicts of rules.</summary>
    public static IReadOnlyList<(string Word, Verdict Value)> Verdicts { get; } =
    [
        ("white", Verdict.White),
        ("black", Verdict.Black),
        ("grey", Verdict.Grey),
    ];

    /// <summary>Conditions of rules: their names from <see cref="RuleConditionExtensions.ToToken"/> ("softfail" and "permerror" are single words, as in RFC 7208).</summary>
    public static IReadOnlyList<(string Word, RuleCondition Value)> Conditions { get; } =
        [.. Enum.GetValues<RuleCondition>().Select(condition => (condition.ToToken(), condition))];

    /// <summary>Types of DNS lists.</summary>
    public static IReadOnlyList<(string Word, DnsListKind Value)> ListKinds { get; } =
    [
        ("address", DnsListKind.Address),
        ("domain", DnsListKind.Domain),
    ];

    /// <summary>The placeholders a rule's reason may use: <see cref="ReasonTemplate.Placeholders"/>.</summary>
    public static IReadOnlyList<string> ReasonPlaceholders => ReasonTemplate.Placeholders;
}
