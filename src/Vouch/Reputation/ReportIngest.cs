using System.Globalization;
using System.Net;
using MimeKit;

namespace Vouch.Reputation;

/// <summary>
/// The one way reports come in, whatever brought them (<c>vouch report</c>, the HTTP endpoint, rspamd, ARF, a
/// spamtrap): the ticket is verified (MAC, age), its rows are charged through the store, and every outcome is
/// counted by source and reason. A report charges only what the ticket says was verified at delivery. State
/// changes reach the services through the store (<see cref="IReputationStore.StateChanged"/>, and their refreshes).
/// </summary>
public sealed class ReportIngest
{
    private readonly IReputationStore store;
    private readonly TicketSigner signer;
    private readonly ReputationOptions options;
    private readonly TimeProvider timeProvider;
    private byte[]? reporterSalt;

    /// <summary>Creates the ingest.</summary>
    /// <param name="store">Where rows are kept.</param>
    /// <param name="signer">Verifies tickets and hashes reporters.</param>
    /// <param name="options">Weights, the report window.</param>
    /// <param name="counters">Where outcomes are counted; null makes its own.</param>
    /// <param name="timeProvider">The clock; null means the system's.</param>
    public ReportIngest(IReputationStore store, TicketSigner signer, ReputationOptions options, ReportCounters? counters = null, TimeProvider? timeProvider = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.signer = signer ?? throw new ArgumentNullException(nameof(signer));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.timeProvider = timeProvider ?? TimeProvider.System;
        Counters = counters ?? new ReportCounters();
    }

    /// <summary>Reports by source and outcome, state changes.</summary>
    public ReportCounters Counters { get; }

    /// <summary>The store reports go to.</summary>
    public IReputationStore Store => store;

    /// <summary>Reports the message whose <c>Vouch-Ticket</c> header value is <paramref name="ticketHeader"/>.</summary>
    public async Task<ReportOutcome> ReportTicketAsync(string ticketHeader, string reporter, ReportKind kind, ReportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketHeader);
        ArgumentNullException.ThrowIfNull(reporter);
        var check = signer.Verify(ticketHeader, options.ReportWindow);
        if (!check.IsValid)
        {
            return Count(source, ReportOutcome.Refused(check.Refusal!.Value, check.Problem));
        }

        var ticket = check.Ticket!;
        var charges = ticket.Charges(options);
        if (charges.Count == 0)
        {
            return Count(source, ReportOutcome.Refused(ReportOutcomeCode.NotVouched, $"the ticket names neither an owner nor a readable client address ({ticket.Client})"));
        }

        return await ChargeAsync(ticket.Id, reporter, kind, source, charges, ticket.Method, ticket.Client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports a message known only by its queue id (the queue-id → ticket log kept at END-OF-MESSAGE).</summary>
    public async Task<ReportOutcome> ReportQueueIdAsync(string queueId, string reporter, ReportKind kind, ReportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queueId);
        string? ticket;
        try
        {
            ticket = queueId.Length == 0 ? null : await store.FindTicketAsync(queueId, cancellationToken).ConfigureAwait(false);
        }
        catch (ReputationStoreException exception)
        {
            return Count(source, ReportOutcome.Refused(ReportOutcomeCode.Unavailable, exception.Message));
        }

        return ticket is null
            ? Count(source, ReportOutcome.Refused(ReportOutcomeCode.NoTicket, $"no ticket is known for queue id '{Shorten(queueId)}'"))
            : await ReportTicketAsync(ticket, reporter, kind, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reports a whole message (RFC 5322): its topmost <c>Vouch-Ticket</c> header (the one this site added; any
    /// below it came with the message), or else the queue id in its topmost Received header.
    /// </summary>
    public async Task<ReportOutcome> ReportMessageAsync(Stream message, string reporter, ReportKind kind, ReportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        HeaderList headers;
        try
        {
            headers = await HeaderList.LoadAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException exception)
        {
            return Count(source, ReportOutcome.Refused(ReportOutcomeCode.NoTicket, "the message's header cannot be read: " + exception.Message));
        }

        return await ReportHeadersAsync(headers, reporter, kind, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports a message by its header fields (see <see cref="ReportMessageAsync"/>).</summary>
    public async Task<ReportOutcome> ReportHeadersAsync(HeaderList headers, string reporter, ReportKind kind, ReportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.IndexOf(Ticket.HeaderName) is var index and >= 0)
        {
            return await ReportTicketAsync(headers[index].Value, reporter, kind, source, cancellationToken).ConfigureAwait(false);
        }

        var queueId = headers.IndexOf(HeaderId.Received) is var received and >= 0 ? QueueIdOf(headers[received].Value) : null;
        return queueId is null
            ? Count(source, ReportOutcome.Refused(ReportOutcomeCode.NoTicket, "the message carries no Vouch-Ticket header and no queue id in its Received header"))
            : await ReportQueueIdAsync(queueId, reporter, kind, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Charges rows directly, for events that carry what was verified themselves: a spamtrap hit at RCPT (the
    /// evidence of that very request), an ARF report re-verified against DNS.
    /// </summary>
    public Task<ReportOutcome> ReportVerifiedAsync(string eventId, string reporter, ReportKind kind, ReportSource source, IReadOnlyList<ReputationCharge> charges, string method, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        return charges.Count == 0
            ? Task.FromResult(Count(source, ReportOutcome.Refused(ReportOutcomeCode.NotVouched, "nothing to charge")))
            : ChargeAsync(eventId, reporter, kind, source, charges, method, client, cancellationToken);
    }

    /// <summary>
    /// Reports an ARF report (RFC 5965) from a trusted reporter: by the original's ticket when its header came
    /// along; otherwise <paramref name="verifyNow"/> checks again, against DNS, that Source-IP is vouched for by
    /// Original-Mail-From's owner, and nothing is charged when it is not (a report's claim is not evidence).
    /// </summary>
    public async Task<ReportOutcome> ReportArfAsync(ArfReport report, Func<IPAddress, string, CancellationToken, Task<ReputationFinding>> verifyNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(verifyNow);
        if (!report.IsFrom(options.TrustedReporters))
        {
            return Count(ReportSource.Arf, ReportOutcome.Refused(ReportOutcomeCode.NotVouched, $"'{Shorten(report.Reporter)}' is not a trusted reporter ([reputation] trusted_reporters)"));
        }

        if (report.Kind is not { } kind)
        {
            return Count(ReportSource.Arf, ReportOutcome.Refused(ReportOutcomeCode.NotVouched, $"Feedback-Type '{Shorten(report.FeedbackType)}' reports neither spam nor not-spam"));
        }

        if (report.Ticket.Length > 0)
        {
            return await ReportTicketAsync(report.Ticket, report.Reporter, kind, ReportSource.Arf, cancellationToken).ConfigureAwait(false);
        }

        var at = report.OriginalMailFrom.LastIndexOf('@');
        if (report.SourceIp is not { } source || at < 0)
        {
            return Count(ReportSource.Arf, ReportOutcome.Refused(ReportOutcomeCode.NoTicket, "no ticket, and no Source-IP and Original-Mail-From to verify again"));
        }

        var finding = await verifyNow(source, report.OriginalMailFrom, cancellationToken).ConfigureAwait(false);
        var claimed = report.OriginalMailFrom[(at + 1)..].ToLowerInvariant();
        if (finding.Vouching is not { } vouching || !(claimed == vouching.Owner || claimed.EndsWith("." + vouching.Owner, StringComparison.Ordinal)))
        {
            return Count(ReportSource.Arf, ReportOutcome.Refused(ReportOutcomeCode.NotVouched, $"{source} is not vouched for by the owner of {Shorten(claimed)} now: nothing is charged"));
        }

        var eventId = "arf-" + (report.OriginalMessageId.Length > 0 ? report.OriginalMessageId : source + "/" + report.OriginalMailFrom);
        return await ChargeAsync(eventId, report.Reporter, kind, ReportSource.Arf, finding.Charges, vouching.Method.ToToken(), source.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts delivered recipient copies (END-OF-MESSAGE) and links the queue id to its ticket.</summary>
    public Task RecordDeliveryAsync(string ticketHeader, string queueId, int recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketHeader);
        var check = signer.Verify(ticketHeader, options.ReportWindow);
        return check.IsValid ? RecordDeliveryAsync(check.Ticket!, ticketHeader, queueId, recipients, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// Counts delivered recipient copies of a ticket this node issued and kept in memory since (so not verified
    /// again), and links the queue id to its header.
    /// </summary>
    public async Task RecordDeliveryAsync(Ticket ticket, string ticketHeader, string queueId, int recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(ticketHeader);
        var now = timeProvider.GetUtcNow();
        await store.AddDeliveriesAsync(ticket.Charges(options), Math.Max(1, recipients), now, cancellationToken).ConfigureAwait(false);
        if (queueId.Length > 0)
        {
            await store.LinkQueueIdAsync(queueId, ticketHeader, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What a reporter is told: "counted against example.com via - (3.0 of 5 spam units, 2 of 3 reporters needed to block)", or why not.</summary>
    public string Describe(ReportOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Rows.Count == 0)
        {
            return $"{outcome.Token}: {outcome.Detail}";
        }

        var row = outcome.Rows[0];
        var thresholds = options.Thresholds;
        var verb = outcome.Code == ReportOutcomeCode.Cancelled ? "withdrawn from" : "counted against";
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Token}: {verb} {row.Key} ({row.State.ToToken()}; {row.Counters.Spam:0.0} of {thresholds.BlockSpam:0.#} spam units and {row.Reporters} of {thresholds.BlockReporters} reporters needed to block; {row.Numbers})");
    }

    private async Task<ReportOutcome> ChargeAsync(string eventId, string reporter, ReportKind kind, ReportSource source, IReadOnlyList<ReputationCharge> charges, string method, string client, CancellationToken cancellationToken)
    {
        ReportOutcome outcome;
        try
        {
            var hashed = await HashReporterAsync(reporter.Length == 0 ? "anonymous" : reporter, cancellationToken).ConfigureAwait(false);
            var report = new ReputationReport(eventId, hashed, kind, source, options.WeightOf(source), charges, method, client, timeProvider.GetUtcNow());
            outcome = await store.RecordAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (ReputationStoreException exception)
        {
            return Count(source, ReportOutcome.Refused(ReportOutcomeCode.Unavailable, exception.Message));
        }

        return Count(source, outcome);
    }

    /// <summary>
    /// A reporter id as the store keeps it: 16 hex digits of HMAC-SHA256 under the store's reporter salt (so the
    /// store never keeps who complained, and a reporter stays one reporter across ticket-key rotations and nodes).
    /// </summary>
    internal async Task<string> HashReporterAsync(string reporter, CancellationToken cancellationToken)
    {
        var salt = reporterSalt ?? (reporterSalt = await store.ReporterSaltAsync(cancellationToken).ConfigureAwait(false));
        var digest = System.Security.Cryptography.HMACSHA256.HashData(salt, System.Text.Encoding.UTF8.GetBytes("reporter\n" + reporter.Trim().ToLowerInvariant()));
        return Convert.ToHexStringLower(digest)[..16];
    }

    private ReportOutcome Count(ReportSource source, ReportOutcome outcome)
    {
        Counters.RecordReport(source, outcome.Token);
        return outcome;
    }

    /// <summary>The queue id of a Postfix Received header: the word after " id ".</summary>
    internal static string? QueueIdOf(string received)
    {
        var words = received.Split([' ', '\t', '\r', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < words.Length; i++)
        {
            if (words[i] == "id" && words[i + 1].Length is > 0 and <= 64 && words[i + 1].All(char.IsAsciiLetterOrDigit))
            {
                return words[i + 1];
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
