using Vouch.Policy;

namespace Vouch.DecisionLog;

/// <summary>
/// One line of the decision log (schema <see cref="SchemaVersion"/>, <c>docs/decision-log.md</c>): when and where a
/// request was decided, under which configuration, the evidence and the decision. Written by every front end and
/// read back by <c>vouch rollout</c>, which can decide the same evidence again under another table.
/// </summary>
/// <param name="Time">When the decision was made.</param>
/// <param name="FrontEnd">Who decided: "policy", "milter" or "replay".</param>
/// <param name="Configuration">The configuration's identity (<c>VouchConfiguration.Identity</c>).</param>
/// <param name="QueueId">The MTA's queue id, or "".</param>
/// <param name="Client">The client address as the MTA gave it.</param>
/// <param name="Helo">The HELO name as sent ("" when none).</param>
/// <param name="Sender">The MAIL FROM address as sent ("" for a bounce).</param>
/// <param name="Evidence">What the checks found; null when nothing could be checked (an unreadable client address).</param>
/// <param name="Verdict">The verdict.</param>
/// <param name="Action">What the MTA was told to do.</param>
/// <param name="EnforcedAction">What enforcement does (the same as <paramref name="Action"/> in enforce mode).</param>
/// <param name="Mode">Monitor or enforce.</param>
/// <param name="Rule">The row that decided.</param>
/// <param name="Reason">The reason, filled.</param>
/// <param name="Reply">The SMTP reply enforcement gives (550/451 …), or null for accept and tag.</param>
/// <param name="Answer">What the MTA was told, in its own words ("DUNNO", "REJECT …", "continue").</param>
/// <param name="Milliseconds">How long the check took, or null when nothing was checked.</param>
/// <param name="DnsQueries">DNS queries the checks made.</param>
public sealed record DecisionRecord(
    DateTimeOffset Time,
    string FrontEnd,
    string Configuration,
    string QueueId,
    string Client,
    string Helo,
    string Sender,
    Evidence? Evidence,
    Verdict Verdict,
    PolicyAction Action,
    PolicyAction EnforcedAction,
    PolicyMode Mode,
    RuleCondition Rule,
    string Reason,
    string? Reply,
    string Answer,
    double? Milliseconds,
    int DnsQueries)
{
    /// <summary>The version of the line's schema, written as <c>"v"</c>; a reader refuses lines of a newer one.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The record of one decision.</summary>
    /// <param name="time">When it was made.</param>
    /// <param name="frontEnd">Who decided.</param>
    /// <param name="configuration">The configuration's identity.</param>
    /// <param name="queueId">The MTA's queue id, or "".</param>
    /// <param name="client">The client address as text.</param>
    /// <param name="helo">The HELO name as sent.</param>
    /// <param name="sender">The MAIL FROM address as sent.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="evidence">The evidence, or null when nothing could be checked.</param>
    /// <param name="answer">What the MTA was told.</param>
    /// <param name="elapsed">How long the check took, or null.</param>
    public static DecisionRecord Of(DateTimeOffset time, string frontEnd, string configuration, string queueId, string client, string helo, string sender, Decision decision, Evidence? evidence, string answer, TimeSpan? elapsed)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new DecisionRecord(
            time, frontEnd, configuration, queueId, client, helo, sender, evidence, decision.Verdict, decision.Action, decision.EnforcedAction, decision.Mode,
            decision.Rule.When, decision.Reason, decision.SmtpReply, answer, elapsed is { } spent ? Math.Round(spent.TotalMilliseconds, 3) : null, evidence?.DnsQueries ?? 0);
    }
}
