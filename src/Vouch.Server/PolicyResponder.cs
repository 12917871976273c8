using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BitFaster.Caching.Lru;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Headers;
using Vouch.Policy;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Text;

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
    private const string TemporaryFailureReply = "451 4.3.0 temporary policy failure, try again later";

    private readonly SenderChecker checker;
    private readonly PolicyServerOptions options;
    private readonly ConcurrentLru<string, string> answersByInstance;
    private readonly TextWriter log;
    private readonly PolicyMetrics? metrics;
    private readonly TimeProvider timeProvider;

    // Builders for the header and the log line, lent to one answer at a time: each text is made in one buffer.
    private readonly ConcurrentQueue<StringBuilder> builders = new();

    /// <summary>Creates the responder.</summary>
    /// <param name="checker">The checks and the decision table.</param>
    /// <param name="options">Service settings; null means the defaults.</param>
    /// <param name="log">Where one line per decision goes; null means nowhere.</param>
    /// <param name="metrics">Counters shared across reloads; null means none.</param>
    /// <param name="timeProvider">The clock for the mode (enforce_from) and header dates; null means the system's.</param>
    public PolicyResponder(SenderChecker checker, PolicyServerOptions? options = null, TextWriter? log = null, PolicyMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.metrics = metrics;
        this.checker = checker ?? throw new ArgumentNullException(nameof(checker));
        this.options = options ?? new PolicyServerOptions();
        this.log = log ?? TextWriter.Null;
        answersByInstance = new ConcurrentLru<string, string>(Math.Max(this.options.InstanceCacheSize, 3));
    }

    /// <summary>The action for <paramref name="request"/>: the text after "action=".</summary>
    public async Task<string> AnswerAsync(PolicyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = request.ProtocolState;
        if (!(state == "RCPT" || (state == "MAIL" && options.CheckAtMail)))
        {
            return "DUNNO";
        }

        var instance = request.Instance;
        if (instance.Length > 0 && answersByInstance.TryGet(instance, out var cached))
        {
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
                if (outcome.Decision.Action == PolicyAction.Accept && UncheckedBecause(outcome.Evidence) is { } why)
                {
                    // Nothing was checked (a trusted relay, or our backup MX, which judged it and added its own header): no header.
                    answer = "DUNNO";
                    LogSkip(request, why);
                }
                else
                {
                    answer = ToAction(outcome);
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

    /// <summary>Why nothing was checked, when a row decided alone: the client is a trusted relay or one of our MX hosts.</summary>
    private static string? UncheckedBecause(Evidence evidence) =>
        evidence.TrustedNetwork is not null ? "trusted network"
        : evidence.OwnMxHost is { } ownHost ? $"one of our MX hosts: {ownHost}"
        : null;

    /// <summary>One line per decision: queue id, client, helo, sender, identity findings, SPF, registration, verdict, action, milliseconds, DNS queries.</summary>
    private void LogDecision(PolicyRequest request, CheckOutcome outcome, string answer, TimeSpan elapsed) =>
        LogDecision(request, outcome.Request.Client.ToString(), outcome.Request.Helo.Text, outcome.Request.Sender.Text, outcome.Decision, outcome.Evidence, answer, elapsed);

    /// <summary>The decision line for a request without a readable client address: no evidence, the table's client_unreadable row.</summary>
    private void LogUnreadable(PolicyRequest request, Decision decision, string answer) =>
        LogDecision(request, request["client_address"], request["helo_name"], request["sender"], decision, null, answer, null);

    private void LogDecision(PolicyRequest request, string client, string helo, string sender, Decision decision, Evidence? evidence, string answer, TimeSpan? elapsed)
    {
        var dnsQueries = evidence is null ? 0 : evidence.Registration.DnsQueries + evidence.MailFromSpf.DnsLookups + evidence.HeloSpf.DnsLookups;
        IReadOnlyList<RuleCondition> identity = evidence is null ? [] : PolicyEngine.IdentityFindings(evidence);
        if (options.JsonLog)
        {
            var fields = new Dictionary<string, object?>
            {
                ["queue_id"] = request["queue_id"],
                ["client"] = client,
                ["helo"] = helo,
                ["sender"] = sender,
            };
            if (evidence is not null)
            {
                fields["identity"] = identity.Select(RuleConditionExtensions.ToToken).ToArray();
                fields["spf"] = evidence.ResultToken(EvidencePieces.MailFromSpf);
                fields["helo_spf"] = evidence.ResultToken(EvidencePieces.HeloSpf);
                fields["registration"] = evidence.ResultToken(EvidencePieces.Registration);
                fields["rmx"] = evidence.ResultToken(EvidencePieces.Rmx);
            }

            fields["verdict"] = Decision.Token(decision.Verdict);
            fields["action"] = Decision.Token(decision.Action);
            fields["enforced_action"] = Decision.Token(decision.EnforcedAction);
            fields["mode"] = Decision.Token(decision.Mode);
            fields["rule"] = decision.Rule.When.ToToken();
            fields["reason"] = decision.Reason;
            if (elapsed is { } time)
            {
                fields["ms"] = Math.Round(time.TotalMilliseconds, 3);
                fields["dns"] = dnsQueries;
            }

            log.WriteLine(JsonSerializer.Serialize(fields));
            return;
        }

        var line = RentBuilder();
        line.Append("vouch: decision queue_id=").Append(UntrustedText.LogField(request["queue_id"]))
            .Append(" client=").Append(UntrustedText.LogField(client))
            .Append(" helo=").Append(UntrustedText.LogField(helo))
            .Append(" sender=<").Append(UntrustedText.LogField(sender)).Append('>');
        if (evidence is not null)
        {
            line.Append(" identity=");
            AppendIdentityToken(line, identity);
            line.Append(" spf=").Append(evidence.ResultToken(EvidencePieces.MailFromSpf))
                .Append(" helo_spf=").Append(evidence.ResultToken(EvidencePieces.HeloSpf))
                .Append(" registration=").Append(evidence.ResultToken(EvidencePieces.Registration))
                .Append(" rmx=").Append(evidence.ResultToken(EvidencePieces.Rmx));
        }

        line.Append(" verdict=").Append(Decision.Token(decision.Verdict))
            .Append(" action=").Append(Decision.Token(decision.Action))
            .Append(" enforced=").Append(Decision.Token(decision.EnforcedAction))
            .Append(" mode=").Append(Decision.Token(decision.Mode))
            .Append(" rule=").Append(decision.Rule.When.ToToken());
        if (elapsed is { } spent)
        {
            line.Append(CultureInfo.InvariantCulture, $" ms={spent.TotalMilliseconds:0.000} dns={dnsQueries}");
        }
        else
        {
            line.Append(" reason=\"").Append(UntrustedText.LogQuoted(decision.Reason)).Append('"');
        }

        line.Append(" answer=\"").Append(UntrustedText.LogQuoted(answer)).Append('"');
        log.WriteLine(ToStringAndReturn(line));
    }

    private static void AppendIdentityToken(StringBuilder destination, IReadOnlyList<RuleCondition> findings)
    {
        if (findings.Count == 0)
        {
            destination.Append("ok");
            return;
        }

        for (var i = 0; i < findings.Count; i++)
        {
            if (i > 0)
            {
                destination.Append(',');
            }

            destination.Append(findings[i].ToToken());
        }
    }

    private StringBuilder RentBuilder() => builders.TryDequeue(out var builder) ? builder : new StringBuilder(1024);

    /// <summary>The builder's text; the builder goes back to the pool (unless a hostile request made it huge).</summary>
    private string ToStringAndReturn(StringBuilder builder)
    {
        var text = builder.ToString();
        if (builder.Capacity <= 8192)
        {
            builder.Clear();
            builders.Enqueue(builder);
        }

        return text;
    }

    private void LogSkip(PolicyRequest request, string why)
    {
        metrics?.RecordSkip();
        log.WriteLine($"vouch: skipped queue_id={UntrustedText.LogField(request["queue_id"])} client={UntrustedText.LogField(request["client_address"])}: {UntrustedText.LogText(why)}");
    }

    private string FailureAnswer() => options.FailureAction switch
    {
        FailureAction.Dunno => "DUNNO",
        FailureAction.Defer => TemporaryFailureReply,
        _ => checker.Configuration.Policy.ModeAt(timeProvider.GetUtcNow()) == PolicyMode.Monitor ? "DUNNO" : TemporaryFailureReply,
    };

    private string ToAction(CheckOutcome outcome)
    {
        var decision = outcome.Decision;
        return decision.Action switch
        {
            PolicyAction.Accept when !options.HeaderOnAccept => "DUNNO",
            PolicyAction.Accept or PolicyAction.Tag => options.Header switch
            {
                TagHeader.None => "DUNNO",
                TagHeader.AuthenticationResults => "PREPEND " + AuthenticationResultsHeader.Format(outcome, options.HostName, Note(outcome)),
                TagHeader.XRmx => "PREPEND " + RmxHeader.Format(outcome.Evidence.Rmx, outcome.Request.Client, options.HostName, timeProvider.GetUtcNow()),
                _ => ReceivedSpfAction(outcome),
            },
            _ => decision.SmtpReply ?? "DUNNO",
        };
    }

    /// <summary>"PREPEND " and the Received-SPF field, made in one buffer.</summary>
    private string ReceivedSpfAction(CheckOutcome outcome)
    {
        var note = Note(outcome);
        var action = RentBuilder().Append("PREPEND ");
        ReceivedSpfHeader.AppendTo(action, outcome, options.HostName, note);
        return ToStringAndReturn(action);
    }

    private string Note(CheckOutcome outcome)
    {
        var decision = outcome.Decision;
        var identity = PolicyEngine.IdentityFindings(outcome.Evidence);
        var note = RentBuilder().Append("vouch: ").Append(Decision.Token(decision.Verdict));
        if (decision.Mode == PolicyMode.Monitor && decision.EnforcedAction != decision.Action)
        {
            note.Append(", monitor mode, enforcement would ").Append(Decision.Token(decision.EnforcedAction)).Append(": ").Append(decision.SmtpReply);
        }
        else
        {
            note.Append(": ").Append(decision.Reason);
        }

        if (identity.Count > 0)
        {
            note.Append("; identity ");
            AppendIdentityToken(note, identity);
        }

        return ToStringAndReturn(note);
    }
}
