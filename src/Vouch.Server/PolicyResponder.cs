using BitFaster.Caching.Lru;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Headers;
using Vouch.Policy;
using Vouch.Smtp;

namespace Vouch.Server;

/// <summary>
/// Answers one policy request: checks at RCPT (and MAIL if configured), DUNNO in every other state;
/// evaluates once per message (instance) and reuses the answer for its other recipients. The action comes
/// from the verdict: accept and tag → PREPEND the configured header (PREPEND does not end Postfix's
/// restriction list; in monitor mode the header says what enforcement would do; accept → DUNNO when
/// <see cref="PolicyServerOptions.HeaderOnAccept"/> is off); defer and reject → the SMTP reply with its
/// enhanced status code. An internal error answers <see cref="PolicyServerOptions.FailureAction"/>. Thread-safe.
/// </summary>
public sealed class PolicyResponder : IPolicyAnswerer
{
    private readonly SenderChecker checker;
    private readonly PolicyServerOptions options;
    private readonly ConcurrentLru<string, string> answersByInstance;
    private readonly PolicyMetrics? metrics;
    private readonly TimeProvider timeProvider;
    private readonly TicketKeeper? tickets;

    // The decision line, the header's note, and the pooled buffers each text is made in.
    private readonly DecisionTexts texts;

    /// <summary>Creates the responder.</summary>
    /// <param name="checker">The checks and the decision table.</param>
    /// <param name="options">Service settings; null means the defaults.</param>
    /// <param name="log">Where one line per decision goes; null means nowhere.</param>
    /// <param name="metrics">Counters shared across reloads; null means none.</param>
    /// <param name="timeProvider">The clock for the mode (enforce_from) and header dates; null means the system's.</param>
    /// <param name="decisionLog">Where the decision log's JSON line of every decision goes; null means nowhere.</param>
    /// <param name="tickets">Signs and keeps the tickets of accepted mail when reputation is on; null otherwise.</param>
    public PolicyResponder(SenderChecker checker, PolicyServerOptions? options = null, TextWriter? log = null, PolicyMetrics? metrics = null, TimeProvider? timeProvider = null, TextWriter? decisionLog = null, TicketKeeper? tickets = null)
    {
        this.tickets = tickets;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.metrics = metrics;
        this.checker = checker ?? throw new ArgumentNullException(nameof(checker));
        this.options = options ?? new PolicyServerOptions();
        texts = new DecisionTexts(log ?? TextWriter.Null, this.options.JsonLog, "policy", checker.Configuration.Identity, this.timeProvider, decisionLog);
        answersByInstance = new ConcurrentLru<string, string>(Math.Max(this.options.InstanceCacheSize, 3));
    }

    /// <summary>The action for <paramref name="request"/>: the text after "action=".</summary>
    public async Task<string> AnswerAsync(PolicyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = request.ProtocolState;
        var instance = request.Instance;
        if (tickets is not null && state is "DATA" or "END-OF-MESSAGE")
        {
            return TicketAnswer(request, state, instance);
        }

        if (!(state == "RCPT" || (state == "MAIL" && options.CheckAtMail)))
        {
            return "DUNNO";
        }

        if (instance.Length > 0 && answersByInstance.TryGet(instance, out var cached))
        {
            if (state == "RCPT")
            {
                tickets?.ReportIfSpamtrap(instance, request["recipient"], null);
            }

            return cached;
        }

        string answer;
        try
        {
            if (options.SkipAuthenticated && request["sasl_username"].Length > 0)
            {
                // Authenticated submission: the user is known; registration is about relaying servers.
                answer = "DUNNO";
                LogSkip(request, "authenticated (sasl_username)");
            }
            else if (!CheckRequest.TryParseClient(request["client_address"], out var client, out var problem))
            {
                // Nothing can be checked without the client's address; that is a row of the decision table, not a quiet DUNNO.
                var decision = PolicyEngine.DecideUnreadable($"the policy request's client_address is unreadable ({problem})", checker.Configuration.Policy, timeProvider.GetUtcNow());
                answer = decision.Action is PolicyAction.Defer or PolicyAction.Reject ? decision.SmtpReply ?? "DUNNO" : "DUNNO";
                metrics?.RecordDecision(decision.Verdict, decision.Action, TimeSpan.Zero);
                LogUnreadable(request, decision, answer);
            }
            else
            {
                // Whatever the client sent as HELO and MAIL FROM is judged as it is (no HELO, garbage, over-long).
                // Postfix's client_name is verified (PTR, then forward lookup); "unknown" means it is not.
                var checkRequest = CheckRequest.Create(client!, request["sender"], request["helo_name"]);
                var clientName = request["client_name"];
                if (clientName.Length > 0 && clientName != "unknown")
                {
                    checkRequest = checkRequest with { ConfirmedClientName = clientName };
                }

                var started = timeProvider.GetTimestamp();
                var outcome = await checker.CheckAsync(checkRequest, cancellationToken).ConfigureAwait(false);
                if (outcome.Decision.Action == PolicyAction.Accept && DecisionTexts.UncheckedBecause(outcome.Evidence) is { } why)
                {
                    // Nothing was checked (a trusted relay, or our backup MX, which judged it and added its own header): no header.
                    answer = "DUNNO";
                    LogSkip(request, why);
                }
                else
                {
                    answer = ToAction(outcome);
                    if (tickets is not null)
                    {
                        tickets.Issue(instance, outcome);
                        if (state == "RCPT")
                        {
                            tickets.ReportIfSpamtrap(instance, request["recipient"], outcome);
                        }
                    }

                    var elapsed = timeProvider.GetElapsedTime(started);
                    metrics?.RecordDecision(outcome.Decision.Verdict, outcome.Decision.Action, elapsed);
                    LogDecision(request, outcome, answer, elapsed);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The one place a bug becomes the safe answer (failure_action), logged; never a dropped connection.
            answer = FailureAnswer();
            metrics?.RecordError();
            LogSkip(request, $"internal error, answered the safe action: {exception.GetType().Name}: {exception.Message}");
        }

        if (instance.Length > 0)
        {
            answersByInstance.AddOrUpdate(instance, answer);
        }

        return answer;
    }

    /// <summary>
    /// DATA: the ticket of the message, prepended (the last state where Postfix allows PREPEND); END-OF-MESSAGE:
    /// its delivered copies counted, and its queue id linked to the ticket. DUNNO otherwise.
    /// </summary>
    private string TicketAnswer(PolicyRequest request, string state, string instance)
    {
        if (state == "DATA")
        {
            return tickets!.HeaderFor(instance) is { } header ? "PREPEND " + header : "DUNNO";
        }

        _ = int.TryParse(request["recipient_count"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var recipients);
        tickets!.RecordDelivery(instance, request["queue_id"], recipients);
        return "DUNNO";
    }

    /// <summary>The decision line of a checked request.</summary>
    private void LogDecision(PolicyRequest request, CheckOutcome outcome, string answer, TimeSpan elapsed) =>
        texts.WriteDecision(request["queue_id"], outcome.Request.Client.ToString(), outcome.Request.Helo.Text, outcome.Request.Sender.Text, outcome.Decision, outcome.Evidence, answer, elapsed);

    /// <summary>The decision line for a request without a readable client address: no evidence, the table's client_unreadable row.</summary>
    private void LogUnreadable(PolicyRequest request, Decision decision, string answer) =>
        texts.WriteDecision(request["queue_id"], request["client_address"], request["helo_name"], request["sender"], decision, null, answer, null);

    private void LogSkip(PolicyRequest request, string why)
    {
        metrics?.RecordSkip();
        texts.WriteSkip(request["queue_id"], request["client_address"], why);
    }

    private string FailureAnswer() => DecisionTexts.FailureReply(options.FailureAction, checker.Configuration.Policy.ModeAt(timeProvider.GetUtcNow())) ?? "DUNNO";

    private string ToAction(CheckOutcome outcome)
    {
        var decision = outcome.Decision;
        return decision.Action switch
        {
            PolicyAction.Accept when !options.HeaderOnAccept => "DUNNO",
            PolicyAction.Accept or PolicyAction.Tag => options.Header switch
            {
                TagHeader.None => "DUNNO",
                TagHeader.AuthenticationResults => "PREPEND " + AuthenticationResultsHeader.Format(outcome, options.HostName, texts.Note(outcome)),
                TagHeader.XRmx => "PREPEND " + RmxHeader.Format(outcome.Evidence.Rmx, outcome.Request.Client, options.HostName, timeProvider.GetUtcNow()),
                _ => ReceivedSpfAction(outcome),
            },
            _ => decision.SmtpReply ?? "DUNNO",
        };
    }

    /// <summary>"PREPEND " and the Received-SPF field, made in one buffer.</summary>
    private string ReceivedSpfAction(CheckOutcome outcome)
    {
        var note = texts.Note(outcome);
        var action = texts.Rent().Append("PREPEND ");
        ReceivedSpfHeader.AppendTo(action, outcome, options.HostName, note);
        return texts.ToStringAndReturn(action);
    }
}
