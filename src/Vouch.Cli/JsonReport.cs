using System.Text.Json;
using Vouch.Checks;
using Vouch.Lists;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Cli;

/// <summary>
/// Writes a check's outcome as one JSON object. Field names are an interface other tools read: keep them
/// (spf and helo_spf: result, domain, mechanism, explanation, dns_lookups, void_lookups, problem;
/// registration, fcrdns, lists, rmx, verdict, action, smtp_reply, reason, mode).
/// </summary>
internal static class JsonReport
{
    public static void Write(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        var evidence = outcome.Evidence;
        var decision = outcome.Decision;
        writer.WriteStartObject();
        writer.WriteString("ip", outcome.Request.Client.ToString());
        writer.WriteString("sender", outcome.Request.Sender.Text);
        writer.WriteString("helo", outcome.Request.Helo.Text);
        WriteIdentities(writer, outcome);
        writer.WritePropertyName("spf");
        WriteSpf(writer, evidence.MailFromSpf, evidence.ResultToken(EvidencePieces.MailFromSpf));
        writer.WritePropertyName("helo_spf");
        WriteSpf(writer, evidence.HeloSpf, evidence.ResultToken(EvidencePieces.HeloSpf));
        writer.WritePropertyName("registration");
        WriteRegistration(writer, evidence.Registration, evidence.ResultToken(EvidencePieces.Registration));
        writer.WritePropertyName("fcrdns");
        WriteFcrdns(writer, evidence.Fcrdns, evidence.ResultToken(EvidencePieces.Fcrdns));
        writer.WritePropertyName("lists");
        WriteLists(writer, outcome);
        writer.WriteStartObject("rmx");
        writer.WriteString("result", evidence.ResultToken(EvidencePieces.Rmx));
        writer.WriteString("domain", evidence.Rmx.Domain);
        WriteNullable(writer, "entry", evidence.Rmx.Entry);
        WriteNullable(writer, "problem", evidence.Rmx.Problem ?? (evidence.WasAsked(EvidencePieces.Rmx) ? null : evidence.Rmx.Steps[0]));
        writer.WriteEndObject();
        WriteSkipped(writer, evidence.Skipped);
        writer.WriteString("verdict", Decision.Token(decision.Verdict));
        writer.WriteString("action", Decision.Token(decision.Action));
        writer.WriteString("enforced_action", Decision.Token(decision.EnforcedAction));
        WriteNullable(writer, "smtp_reply", decision.SmtpReply);
        writer.WriteString("reason", decision.Reason);
        writer.WriteString("mode", Decision.Token(decision.Mode));
        writer.WriteString("rule", decision.Rule.When.ToToken());
        writer.WriteEndObject();
    }

    /// <summary>"identities": what the HELO and the sender turned out to be, and the identity rows that hold.</summary>
    private static void WriteIdentities(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        var request = outcome.Request;
        writer.WriteStartObject("identities");
        writer.WriteStartObject("helo");
        writer.WriteString("kind", request.Helo.Kind switch
        {
            HeloNameKind.Domain => "domain",
            HeloNameKind.AddressLiteral => "address_literal",
            HeloNameKind.Missing => "missing",
            _ => "malformed",
        });
        WriteNullable(writer, "problem", request.Helo.Problem);
        writer.WriteEndObject();
        writer.WriteStartObject("sender");
        writer.WriteString("kind", request.Sender.Kind switch
        {
            ReversePathKind.Null => "null",
            ReversePathKind.Mailbox => "mailbox",
            _ => "malformed",
        });
        WriteNullable(writer, "problem", request.Sender.Problem);
        writer.WriteEndObject();
        writer.WriteStartArray("findings");
        foreach (var finding in PolicyEngine.IdentityFindings(outcome.Evidence))
        {
            writer.WriteStringValue(finding.ToToken());
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, int line, string error)
    {
        writer.WriteStartObject();
        writer.WriteNumber("line", line);
        writer.WriteString("error", error);
        writer.WriteEndObject();
    }

    /// <summary>"skipped": the pieces the decision did not need and that were not asked ([checks] gather = "decisive"), in output order.</summary>
    private static void WriteSkipped(Utf8JsonWriter writer, EvidencePieces skipped)
    {
        writer.WriteStartArray("skipped");
        foreach (var (piece, name) in SkippedNames)
        {
            if ((skipped & piece) != 0)
            {
                writer.WriteStringValue(name);
            }
        }

        writer.WriteEndArray();
    }

    private static readonly (EvidencePieces Piece, string Name)[] SkippedNames =
    [
        (EvidencePieces.MailFromSpf, "spf"),
        (EvidencePieces.HeloSpf, "helo_spf"),
        (EvidencePieces.Registration, "registration"),
        (EvidencePieces.Fcrdns, "fcrdns"),
        (EvidencePieces.Lists, "lists"),
        (EvidencePieces.Rmx, "rmx"),
    ];

    private static void WriteSpf(Utf8JsonWriter writer, SpfResult result, string token)
    {
        writer.WriteStartObject();
        writer.WriteString("result", token);
        writer.WriteString("domain", result.Domain);
        WriteNullable(writer, "mechanism", result.Mechanism);
        WriteNullable(writer, "explanation", result.Explanation);
        writer.WriteNumber("dns_lookups", result.DnsLookups);
        writer.WriteNumber("void_lookups", result.VoidLookups);
        WriteNullable(writer, "problem", result.Problem);
        writer.WriteEndObject();
    }

    private static void WriteRegistration(Utf8JsonWriter writer, RegistrationResult result, string token)
    {
        writer.WriteStartObject();
        writer.WriteString("result", token);
        WriteNullable(writer, "domain", result.Domain);
        WriteNullable(writer, "owner", result.Owner);
        WriteNullable(writer, "via", result.Via is { } via ? Decision.Token(via) : null);
        WriteNullable(writer, "mx_host", result.MxHost);
        if (result.Preference is { } preference)
        {
            writer.WriteNumber("preference", preference);
        }
        else
        {
            writer.WriteNull("preference");
        }

        if (result.IsLowestPriority is { } lowest)
        {
            writer.WriteBoolean("lowest_priority", lowest);
        }
        else
        {
            writer.WriteNull("lowest_priority");
        }

        writer.WriteBoolean("sender_null_mx", result.SenderHasNullMx);
        writer.WriteNumber("dns_queries", result.DnsQueries);
        WriteNullable(writer, "problem", result.Problem);
        writer.WriteStartArray("candidates");
        foreach (var candidate in result.Candidates)
        {
            writer.WriteStartObject();
            writer.WriteString("domain", candidate.Domain);
            writer.WriteString("via", Decision.Token(candidate.Via));
            writer.WriteBoolean("organizational", candidate.IsOrganizationalDomain);
            writer.WriteString("outcome", OutcomeToken(candidate.Outcome));
            writer.WriteString("detail", candidate.Detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFcrdns(Utf8JsonWriter writer, FcrdnsResult result, string token)
    {
        writer.WriteStartObject();
        writer.WriteString("result", token);
        WriteStrings(writer, "ptr_names", result.PtrNames);
        WriteStrings(writer, "confirmed", result.ConfirmedNames);
        WriteNullable(writer, "problem", result.Problem);
        writer.WriteEndObject();
    }

    private static void WriteLists(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        var evidence = outcome.Evidence;
        writer.WriteStartObject();
        WriteMatch(writer, "allowed", evidence.Allowed, outcome);
        WriteMatch(writer, "blocked", evidence.Blocked, outcome);
        writer.WriteStartArray("dns");
        foreach (var result in evidence.DnsLists)
        {
            writer.WriteStartObject();
            writer.WriteString("list", result.List.Name);
            writer.WriteString("subject", result.Subject);
            writer.WriteString("query", result.QueryName);
            writer.WriteString("outcome", Decision.Token(result.Outcome));
            WriteStrings(writer, "answers", result.Answers.Select(a => a.ToString()).ToArray());
            WriteNullable(writer, "text", result.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMatch(Utf8JsonWriter writer, string name, ListMatch? match, CheckOutcome outcome)
    {
        if (match is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("list", match.List);
        writer.WriteString("subject", match.Subject);
        writer.WriteString("entry", match.Entry);
        writer.WriteString("action", Decision.Token(outcome.ListingAction(match)));
        writer.WriteEndObject();
    }

    internal static string OutcomeToken(CandidateOutcome outcome) => outcome switch
    {
        CandidateOutcome.Registered => "registered",
        CandidateOutcome.NotListed => "not_listed",
        CandidateOutcome.NoMx => "no_mx",
        CandidateOutcome.NullMx => "null_mx",
        CandidateOutcome.TempError => "temperror",
        _ => "not_tried",
    };

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
