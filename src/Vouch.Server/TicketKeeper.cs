using BitFaster.Caching.Lru;
using Microsoft.Extensions.Logging;
using Vouch.Checks;
using Vouch.Policy;
using Vouch.Reputation;

namespace Vouch.Server;

/// <summary>
/// What the front ends do for reputation, apart from deciding: sign a ticket for each accepted message and keep
/// it by the MTA's message instance until the header can be added (the policy service's DATA request; PREPEND
/// is not allowed at end-of-data), count the delivery at END-OF-MESSAGE with the queue-id link, and turn mail to
/// a spamtrap into a trap report. Store writes run in the background: the MTA never waits on them. Thread-safe.
/// </summary>
public sealed class TicketKeeper
{
    private readonly ReputationSetup reputation;
    private readonly ConcurrentLru<string, KeptTicket> byInstance;
    private readonly HashSet<string> spamtraps;
    private readonly ILogger? logger;

    /// <summary>Creates the keeper.</summary>
    /// <param name="reputation">The store, signer and ingest.</param>
    /// <param name="capacity">Messages whose ticket is kept until their DATA and END-OF-MESSAGE requests.</param>
    /// <param name="logger">Where a failed background write is logged; null means nowhere.</param>
    public TicketKeeper(ReputationSetup reputation, int capacity, ILogger? logger = null)
    {
        this.reputation = reputation ?? throw new ArgumentNullException(nameof(reputation));
        byInstance = new ConcurrentLru<string, KeptTicket>(Math.Max(capacity, 3));
        spamtraps = new HashSet<string>(reputation.Options.Spamtraps, StringComparer.OrdinalIgnoreCase);
        this.logger = logger;
    }

    /// <summary>
    /// The ticket for an outcome whose mail will be accepted (accept or tag), made once per instance; null when
    /// the mail is refused or nothing was checked (trusted relays, our backup MX: never charged).
    /// </summary>
    public string? Issue(string instance, CheckOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Decision.Action is not (PolicyAction.Accept or PolicyAction.Tag) || DecisionTexts.UncheckedBecause(outcome.Evidence) is not null)
        {
            return null;
        }

        if (instance.Length > 0 && byInstance.TryGet(instance, out var kept))
        {
            return kept.Header;
        }

        var finding = outcome.Evidence.Reputation;
        var ticket = reputation.Signer.Issue(finding.Vouching, outcome.Request.Client, finding.SenderHash, finding.Provider);
        var header = reputation.Signer.Format(ticket);
        if (instance.Length > 0)
        {
            byInstance.AddOrUpdate(instance, new KeptTicket(header, ticket, finding));
        }

        return header;
    }

    /// <summary>The header line to prepend for <paramref name="instance"/> ("Vouch-Ticket: v=1; …"), or null when it has no ticket.</summary>
    public string? HeaderFor(string instance) =>
        instance.Length > 0 && byInstance.TryGet(instance, out var kept) ? Ticket.HeaderName + ": " + kept.Header : null;

    /// <summary>A recipient that is a spamtrap makes a trap report for the message's vouching (in the background).</summary>
    public bool ReportIfSpamtrap(string instance, string recipient, CheckOutcome? outcome)
    {
        if (spamtraps.Count == 0 || !spamtraps.Contains(recipient.Trim().Trim('<', '>')))
        {
            return false;
        }

        var finding = outcome?.Evidence.Reputation ?? (instance.Length > 0 && byInstance.TryGet(instance, out var kept) ? kept.Finding : null);
        if (finding is null || !finding.Kept || outcome is { } judged && DecisionTexts.UncheckedBecause(judged.Evidence) is not null)
        {
            return false;
        }

        var client = outcome?.Request.Client.ToString() ?? "";
        var method = finding.Vouching?.Method.ToToken() ?? Vouching.NoVia;
        var eventId = "trap-" + (instance.Length > 0 ? instance : Guid.NewGuid().ToString("N"));
        Background(reputation.Ingest.ReportVerifiedAsync(eventId, "trap:" + recipient, ReportKind.Spam, ReportSource.Trap, finding.Charges, method, client, CancellationToken.None));
        return true;
    }

    /// <summary>END-OF-MESSAGE: counts the delivered copies for the instance's ticket and links the queue id (in the background).</summary>
    public void RecordDelivery(string instance, string queueId, int recipients)
    {
        if (instance.Length > 0 && byInstance.TryGet(instance, out var kept))
        {
            Background(reputation.Ingest.RecordDeliveryAsync(kept.Ticket, kept.Header, queueId, recipients, CancellationToken.None));
        }
    }

    /// <summary>The milter's delivery: one message with <paramref name="ticketHeader"/> (it is not told the recipient count), linked to its queue id.</summary>
    public void RecordDelivery(string ticketHeader, string queueId) =>
        Background(reputation.Ingest.RecordDeliveryAsync(ticketHeader, queueId, 1, CancellationToken.None));

    private void Background(Task task) => _ = ObserveAsync(task);

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ReputationStoreException or OperationCanceledException or ObjectDisposedException)
        {
            if (logger is not null)
            {
                ReputationLog.StoreTrouble(logger, exception.Message);
            }
        }
    }

    private sealed record KeptTicket(string Header, Ticket Ticket, ReputationFinding Finding);
}
