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

    /// <summary>Conditions of rules: the snake_case names of <see cref="RuleCondition"/> ("softfail" and "permerror" are single words, as in RFC 7208).</summary>
    public static IReadOnlyList<(string Word, RuleCondition Value)> Conditions { get; } =
    [
        ("allow_listed", RuleCondition.AllowListed),
        ("block_listed", RuleCondition.BlockListed),
        ("null_mx_sender", RuleCondition.NullMxSender),
        ("spf_fail", RuleCondition.SpfFail),
        ("spf_pass", RuleCondition.SpfPass),
        ("mx_registered", RuleCondition.MxRegistered),
        ("temporary_failure", RuleCondition.TemporaryFailure),
        ("spf_softfail", RuleCondition.SpfSoftFail),
        ("spf_neutral", RuleCondition.SpfNeutral),
        ("spf_none", RuleCondition.SpfNone),
        ("spf_permerror", RuleCondition.SpfPermError),
        ("fcrdns_fail", RuleCondition.FcrdnsFail),
        ("always", RuleCondition.Always),
    ];

    /// <summary>Types of DNS lists.</summary>
    public static IReadOnlyList<(string Word, DnsListKind Value)> ListKinds { get; } =
    [
        ("address", DnsListKind.Address),
        ("domain", DnsListKind.Domain),
    ];

    /// <summary>The placeholders a rule's reason may use (see <see cref="DecisionRule"/>).</summary>
    public static IReadOnlyList<string> ReasonPlaceholders { get; } =
        ["ip", "helo", "sender", "mailfrom_domain", "spf_explanation", "spf_domain", "domain", "owner", "mx_host", "via", "listed", "problem"];
}
