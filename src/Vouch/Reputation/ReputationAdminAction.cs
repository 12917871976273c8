namespace Vouch.Reputation;

/// <summary>An administrator's pin or clear, as the store audits it.</summary>
/// <param name="Action">"pin blocked", "pin neutral", "unpin" or "clear".</param>
/// <param name="Subject">The owner or client row's subject.</param>
/// <param name="Reason">The reason given.</param>
/// <param name="Actor">Who did it (the user name), or "".</param>
/// <param name="At">When.</param>
public sealed record ReputationAdminAction(string Action, string Subject, string Reason, string Actor, DateTimeOffset At);
