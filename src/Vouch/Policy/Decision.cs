namespace Vouch.Policy;

/// <summary>What the decision table concluded, and what the MTA is told.</summary>
/// <param name="Verdict">White, black or grey.</param>
/// <param name="Action">The action taken now: in monitor mode never defer or reject (those become tag).</param>
/// <param name="EnforcedAction">The action enforcement gives (the same as <see cref="Action"/> in enforce mode).</param>
/// <param name="Mode">The mode in force when the decision was made.</param>
/// <param name="SmtpReply">For defer and reject in enforce mode (and what enforcement would send in monitor mode): the SMTP reply with its enhanced status code, e.g. "550 5.7.23 SPF fail: ..."; otherwise null.</param>
/// <param name="Reason">Why, in plain words naming the evidence.</param>
/// <param name="Rule">The row of the decision table that decided.</param>
/// <param name="Table">The decision table used.</param>
/// <param name="RuleIndex">The position of <paramref name="Rule"/> in <paramref name="Table"/>.</param>
public sealed record Decision(Verdict Verdict, PolicyAction Action, PolicyAction EnforcedAction, PolicyMode Mode, string? SmtpReply, string Reason, DecisionRule Rule, IReadOnlyList<DecisionRule> Table, int RuleIndex)
{
    /// <summary>The rows tried, in order, ending with the one that decided.</summary>
    public IEnumerable<DecisionRule> RulesConsidered => Table.Take(RuleIndex + 1);

    /// <summary>The lower-case word for a verdict, action or mode, as JSON and logs show it, and the configuration file reads it.</summary>
    public static string Token(Enum value) => value.ToString().ToLowerInvariant();
}
