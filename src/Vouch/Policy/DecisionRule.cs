namespace Vouch.Policy;

/// <summary>
/// One row of the decision table: when <see cref="When"/> holds, the verdict is <see cref="Verdict"/> and
/// the action <see cref="Action"/>, with the enhanced status code and the reason given to the client.
/// </summary>
/// <param name="When">The condition.</param>
/// <param name="Verdict">The verdict it gives.</param>
/// <param name="Action">The action in enforce mode.</param>
/// <param name="StatusCode">The RFC 3463 enhanced status code for defer and reject (e.g. "5.7.23"); "" for accept and tag.</param>
/// <param name="Reason">The human reason, with placeholders filled from the evidence (<see cref="ReasonTemplate.Placeholders"/>, e.g. {ip}, {helo}, {owner}).</param>
public sealed record DecisionRule(RuleCondition When, Verdict Verdict, PolicyAction Action, string StatusCode, string Reason);
