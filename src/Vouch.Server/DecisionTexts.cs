using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.DecisionLog;
using Vouch.Policy;
using Vouch.Text;

namespace Vouch.Server;

/// <summary>
/// The texts every front end writes about a decision, made the same way for the policy service and the milter:
/// the decision line (key=value or JSON), the line for a request that was not judged, and the note a header
/// carries. Each text is made in one pooled buffer. Thread-safe.
/// </summary>
/// <param name="log">Where the lines go.</param>
/// <param name="jsonLog">One JSON object per decision (the decision log's line) instead of a key=value line.</param>
/// <param name="frontEnd">Who decides, for the decision log: "policy" or "milter".</param>
/// <param name="configuration">The configuration's identity, for the decision log.</param>
/// <param name="timeProvider">The clock of the decision log's time.</param>
/// <param name="decisionLog">The decision log file, which gets the JSON line of every decision; null for none.</param>
public sealed class DecisionTexts(TextWriter log, bool jsonLog, string frontEnd, string configuration, TimeProvider timeProvider, TextWriter? decisionLog = null)
{
    private readonly TextWriter log = log ?? throw new ArgumentNullException(nameof(log));
    private readonly TimeProvider timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    private const string TemporaryFailureReply = "451 4.3.0 temporary policy failure, try again later";

    // Builders lent to one text at a time.
    private readonly ConcurrentQueue<StringBuilder> builders = new();

    /// <summary>Why nothing was checked, when a row decided alone: the client is a trusted relay or one of our MX hosts; null otherwise.</summary>
    public static string? UncheckedBecause(Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return evidence.TrustedNetwork is not null ? "trusted network"
            : evidence.OwnMxHost is { } ownHost ? $"one of our MX hosts: {ownHost}"
            : null;
    }

    /// <summary>
    /// The reply when a check fails inside Vouch (a bug, not DNS trouble): null lets the mail through
    /// (<c>dunno</c>, or <c>auto</c> in monitor mode), otherwise a 451.
    /// </summary>
    public static string? FailureReply(FailureAction action, PolicyMode mode) => action switch
    {
        FailureAction.Dunno => null,
        FailureAction.Defer => TemporaryFailureReply,
        _ => mode == PolicyMode.Monitor ? null : TemporaryFailureReply,
    };

    /// <summary>One line per decision: queue id, client, helo, sender, identity findings, SPF, registration, verdict, action, milliseconds, DNS queries, the answer.</summary>
    /// <param name="queueId">The MTA's queue id, or "".</param>
    /// <param name="client">The client address as text.</param>
    /// <param name="helo">The HELO name as sent.</param>
    /// <param name="sender">The MAIL FROM address as sent.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="evidence">The evidence, or null when nothing could be checked.</param>
    /// <param name="answer">What the MTA was told.</param>
    /// <param name="elapsed">How long the check took, or null when nothing was checked.</param>
    public void WriteDecision(string queueId, string client, string helo, string sender, Decision decision, Evidence? evidence, string answer, TimeSpan? elapsed)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (jsonLog || decisionLog is not null)
        {
            var json = DecisionRecordJson.Format(DecisionRecord.Of(timeProvider.GetUtcNow(), frontEnd, configuration, queueId, client, helo, sender, decision, evidence, answer, elapsed));
            decisionLog?.WriteLine(json);
            if (jsonLog)
            {
                log.WriteLine(json);
                return;
            }
        }

        var dnsQueries = evidence?.DnsQueries ?? 0;
        IReadOnlyList<RuleCondition> identity = evidence is null ? [] : PolicyEngine.IdentityFindings(evidence);
        var line = Rent();
        line.Append("vouch: decision queue_id=").Append(UntrustedText.LogField(queueId))
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

    /// <summary>The line for a request that was not judged (authenticated, a trusted relay, an internal error).</summary>
    public void WriteSkip(string queueId, string client, string why) =>
        log.WriteLine($"vouch: skipped queue_id={UntrustedText.LogField(queueId)} client={UntrustedText.LogField(client)}: {UntrustedText.LogText(why)}");

    /// <summary>The comment a header carries: the verdict, and in monitor mode what enforcement would answer; the identity findings.</summary>
    public string Note(CheckOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var decision = outcome.Decision;
        var identity = PolicyEngine.IdentityFindings(outcome.Evidence);
        var note = Rent().Append("vouch: ").Append(Decision.Token(decision.Verdict));
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

    /// <summary>A builder for one text; give it back with <see cref="ToStringAndReturn"/>.</summary>
    public StringBuilder Rent() => builders.TryDequeue(out var builder) ? builder : new StringBuilder(1024);

    /// <summary>The builder's text; the builder goes back to the pool (unless a hostile request made it huge).</summary>
    public string ToStringAndReturn(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var text = builder.ToString();
        if (builder.Capacity <= 8192)
        {
            builder.Clear();
            builders.Enqueue(builder);
        }

        return text;
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
}
