namespace Vouch.Reputation;

/// <summary>One counted (or cancelled) report as the store keeps it, for <c>vouch reputation events</c>.</summary>
/// <param name="Ticket">The ticket id.</param>
/// <param name="Reporter">The reporter's hash.</param>
/// <param name="Key">The row charged.</param>
/// <param name="Kind">Spam or ham.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Units">Units charged to this row (after share and caps; 0 once cancelled).</param>
/// <param name="Method">The vouching method at delivery.</param>
/// <param name="Client">The client address at delivery.</param>
/// <param name="At">When it was counted.</param>
/// <param name="Cancelled">True when the reporter withdrew it with a not-spam report.</param>
public sealed record ReputationEvent(string Ticket, string Reporter, ReputationKey Key, ReportKind Kind, ReportSource Source, double Units, string Method, string Client, DateTimeOffset At, bool Cancelled);
