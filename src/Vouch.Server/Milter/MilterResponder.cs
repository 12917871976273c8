using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Headers;
using Vouch.Policy;
using Vouch.Smtp;

namespace Vouch.Server.Milter;

/// <summary>
/// Decides one message for the milter with the same checks, decision table and header writers as the policy
/// service: defer and reject become the SMTP reply the table gives; accept and tag insert <c>[milter] headers</c>
/// at the top (in monitor mode that is all it ever does, and the header says what enforcement would answer).
/// An authenticated session is not judged; a trusted relay's or our own MX host's message is left untouched.
/// An internal error answers <c>[server] failure_action</c>. Thread-safe.
/// </summary>
public sealed class MilterResponder : IMilterJudge
{
    private readonly TicketKeeper? tickets;
    private readonly SenderChecker checker;
    private readonly MilterOptions options;
    private readonly string hostName;
    private readonly string authservId;
    private readonly FailureAction failureAction;
    private readonly DecisionTexts texts;
    private readonly PolicyMetrics? metrics;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the responder.</summary>
    /// <param name="checker">The checks and the decision table; its configuration's <c>[milter]</c> table applies.</param>
    /// <param name="log">Where one line per decision goes; null means nowhere.</param>
    /// <param name="metrics">Counters shared across reloads; null means none.</param>
    /// <param name="timeProvider">The clock for the mode and header dates; null means the system's.</param>
    /// <param name="decisionLog">Where the decision log's JSON line of every decision goes; null means nowhere.</param>
    /// <param name="tickets">Signs the Vouch-Ticket of accepted mail when reputation is on; null otherwise.</param>
    public MilterResponder(SenderChecker checker, TextWriter? log = null, PolicyMetrics? metrics = null, TimeProvider? timeProvider = null, TextWriter? decisionLog = null, TicketKeeper? tickets = null)
    {
        this.tickets = tickets;
        this.checker = checker ?? throw new ArgumentNullException(nameof(checker));
        options = checker.Configuration.Milter;
        var server = checker.Configuration.Server;
        hostName = server.HostName;
        authservId = options.AuthservId ?? server.HostName;
        failureAction = server.FailureAction;
        this.metrics = metrics;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        texts = new DecisionTexts(log ?? TextWriter.Null, server.JsonLog, "milter", checker.Configuration.Identity, this.timeProvider, decisionLog);
    }

    /// <summary>The milter's settings in this configuration.</summary>
    public MilterOptions Options => options;

    /// <summary>Our authserv-id: the one written in Authentication-Results and looked for in forged ones.</summary>
    public string AuthservId => authservId;

    /// <inheritdoc/>
    public async Task<MilterVerdict> JudgeAsync(MilterTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        try
        {
            if (options.SkipAuthenticated && !string.IsNullOrEmpty(transaction.AuthenticatedAs))
            {
                // Authenticated submission is not judged, but a user can forge our results as well as anyone.
                Skip(transaction, "authenticated ({auth_authen})");
                return new MilterVerdict(null, [], options.RemoveForgedResults);
            }

            if (!CheckRequest.TryParseClient(WithoutIPv6Tag(transaction.ClientAddress), out var client, out var problem))
            {
                // A unix-socket or unknown-family client, or an address the MTA garbled: the table's client_unreadable row.
                var decision = PolicyEngine.DecideUnreadable($"the milter's client address is unreadable ({problem})", checker.Configuration.Policy, timeProvider.GetUtcNow());
                var reply = decision.Action is PolicyAction.Defer or PolicyAction.Reject ? decision.SmtpReply : null;
                metrics?.RecordDecision(decision.Verdict, decision.Action, TimeSpan.Zero);
                texts.WriteDecision(transaction.QueueId, transaction.ClientAddress, transaction.Helo ?? "", WithoutBrackets(transaction.Sender ?? ""), decision, null, reply ?? "continue", null);
                return new MilterVerdict(reply, [], options.RemoveForgedResults);
            }

            var request = CheckRequest.Create(client!, transaction.Sender, transaction.Helo);
            if (transaction.ConfirmedClientName is { } name)
            {
                request = request with { ConfirmedClientName = name };
            }

            var started = timeProvider.GetTimestamp();
            var outcome = await checker.CheckAsync(request, cancellationToken).ConfigureAwait(false);
            if (outcome.Decision.Action == PolicyAction.Accept && DecisionTexts.UncheckedBecause(outcome.Evidence) is { } why)
            {
                // A trusted relay or our own backup MX: its Authentication-Results (with our authserv-id, from our MX) stay.
                Skip(transaction, why);
                return MilterVerdict.Untouched;
            }

            var verdict = ToVerdict(outcome, transaction.QueueId);
            var elapsed = timeProvider.GetElapsedTime(started);
            metrics?.RecordDecision(outcome.Decision.Verdict, outcome.Decision.Action, elapsed);
            texts.WriteDecision(transaction.QueueId, outcome.Request.Client.ToString(), outcome.Request.Helo.Text, outcome.Request.Sender.Text, outcome.Decision, outcome.Evidence, Describe(verdict), elapsed);
            return verdict;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The one place a bug becomes the safe answer (failure_action), logged; never a dropped connection.
            metrics?.RecordError();
            var reply = DecisionTexts.FailureReply(failureAction, checker.Configuration.Policy.ModeAt(timeProvider.GetUtcNow()));
            Skip(transaction, $"internal error, answered the safe action: {exception.GetType().Name}: {exception.Message}");
            return new MilterVerdict(reply, [], false);
        }
    }

    private MilterVerdict ToVerdict(CheckOutcome outcome, string queueId)
    {
        var decision = outcome.Decision;
        if (decision.Action is PolicyAction.Defer or PolicyAction.Reject && decision.SmtpReply is { } reply)
        {
            return new MilterVerdict(reply, [], options.RemoveForgedResults);
        }

        if (decision.Action == PolicyAction.Accept && !options.HeaderOnAccept)
        {
            return new MilterVerdict(null, [], options.RemoveForgedResults);
        }

        var headers = new List<(string Name, string Value)>(options.Headers.Count);
        var note = texts.Note(outcome);
        foreach (var header in options.Headers)
        {
            // The note (the verdict, what enforcement would do) goes in the topmost header only.
            var field = header switch
            {
                TagHeader.AuthenticationResults => AuthenticationResultsHeader.Format(outcome, authservId, headers.Count == 0 ? note : null),
                TagHeader.XRmx => RmxHeader.Format(outcome.Evidence.Rmx, outcome.Request.Client, hostName, timeProvider.GetUtcNow()),
                _ => ReceivedSpfHeader.Format(outcome, hostName, headers.Count == 0 ? note : null),
            };
            headers.Add(MilterHeaderText.Split(field));
        }

        if (tickets?.Issue("", outcome) is { } ticket)
        {
            // Inserted below our other headers; the milter is not told the recipient count, so a message counts as one delivery.
            headers.Add(MilterHeaderText.Split(Vouch.Reputation.Ticket.HeaderName + ": " + ticket));
            tickets.RecordDelivery(ticket, queueId);
        }

        return new MilterVerdict(null, headers, options.RemoveForgedResults);
    }

    private static string Describe(MilterVerdict verdict) =>
        verdict.Reply ?? (verdict.Headers.Count == 0 ? "continue" : "continue, insert " + string.Join(", ", verdict.Headers.Select(header => header.Name)));

    private void Skip(MilterTransaction transaction, string why)
    {
        metrics?.RecordSkip();
        texts.WriteSkip(transaction.QueueId, transaction.ClientAddress, why);
    }

    /// <summary>The reverse path as the decision line writes it (inside its own brackets).</summary>
    private static string WithoutBrackets(string sender) =>
        sender.Length >= 2 && sender[0] == '<' && sender[^1] == '>' ? sender[1..^1] : sender;

    /// <summary>Sendmail may write an IPv6 client as "IPv6:2001:db8::1", as in address literals.</summary>
    private static string WithoutIPv6Tag(string address) =>
        address.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? address[5..] : address;
}
