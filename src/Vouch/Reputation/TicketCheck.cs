namespace Vouch.Reputation;

/// <summary>What verifying a ticket found: the ticket, or the refusal and why.</summary>
/// <param name="Ticket">The verified ticket, or null.</param>
/// <param name="Refusal">Null when verified; otherwise bad_mac or too_old.</param>
/// <param name="Problem">Why it was refused, or "".</param>
public sealed record TicketCheck(Ticket? Ticket, ReportOutcomeCode? Refusal, string Problem)
{
    /// <summary>Whether the ticket verified.</summary>
    public bool IsValid => Ticket is not null && Refusal is null;
}
