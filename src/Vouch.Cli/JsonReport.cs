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
    // The field names, encoded once rather than transcoded and checked for escaping on every answer.
    private static readonly JsonEncodedText ActionField = JsonEncodedText.Encode("action");
    private static readonly JsonEncodedText AllowedField = JsonEncodedText.Encode("allowed");
    private static readonly JsonEncodedText AnswersField = JsonEncodedText.Encode("answers");
    private static readonly JsonEncodedText BlockedField = JsonEncodedText.Encode("blocked");
    private static readonly JsonEncodedText CandidatesField = JsonEncodedText.Encode("candidates");
    private static readonly JsonEncodedText ConfirmedField = JsonEncodedText.Encode("confirmed");
    private static readonly JsonEncodedText DetailField = JsonEncodedText.Encode("detail");
    private static readonly JsonEncodedText DnsField = JsonEncodedText.Encode("dns");
    private static readonly JsonEncodedText DnsLookupsField = JsonEncodedText.Encode("dns_lookups");
    private static readonly JsonEncodedText DnsQueriesField = JsonEncodedText.Encode("dns_queries");
    private static readonly JsonEncodedText DomainField = JsonEncodedText.Encode("domain");
    private static readonly JsonEncodedText EnforcedActionField = JsonEncodedText.Encode("enforced_action");
    private static readonly JsonEncodedText EntryField = JsonEncodedText.Encode("entry");
    private static readonly JsonEncodedText ErrorField = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText ExplanationField = JsonEncodedText.Encode("explanation");
    private static readonly JsonEncodedText FcrdnsField = JsonEncodedText.Encode("fcrdns");
    private static readonly JsonEncodedText FindingsField = JsonEncodedText.Encode("findings");
    private static readonly JsonEncodedText HeloField = JsonEncodedText.Encode("helo");
    private static readonly JsonEncodedText HeloSpfField = JsonEncodedText.Encode("helo_spf");
    private static readonly JsonEncodedText IdentitiesField = JsonEncodedText.Encode("identities");
    private static readonly JsonEncodedText IpField = JsonEncodedText.Encode("ip");
    private static readonly JsonEncodedText KindField = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText LineField = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText ListField = JsonEncodedText.Encode("list");
    private static readonly JsonEncodedText ListsField = JsonEncodedText.Encode("lists");
    private static readonly JsonEncodedText LowestPriorityField = JsonEncodedText.Encode("lowest_priority");
    private static readonly JsonEncodedText MechanismField = JsonEncodedText.Encode("mechanism");
    private static readonly JsonEncodedText ModeField = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText MxHostField = JsonEncodedText.Encode("mx_host");
    private static readonly JsonEncodedText OrganizationalField = JsonEncodedText.Encode("organizational");
    private static readonly JsonEncodedText OutcomeField = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText OwnerField = JsonEncodedText.Encode("owner");
    private static readonly JsonEncodedText PreferenceField = JsonEncodedText.Encode("preference");
    private static readonly JsonEncodedText ProblemField = JsonEncodedText.Encode("problem");
    private static readonly JsonEncodedText PtrNamesField = JsonEncodedText.Encode("ptr_names");
    private static readonly JsonEncodedText QueryField = JsonEncodedText.Encode("query");
    private static readonly JsonEncodedText ReasonField = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText RegistrationField = JsonEncodedText.Encode("registration");
    private static readonly JsonEncodedText ResultField = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText RmxField = JsonEncodedText.Encode("rmx");
    private static readonly JsonEncodedText RuleField = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText SkippedField = JsonEncodedText.Encode("skipped");
    private static readonly JsonEncodedText SenderField = JsonEncodedText.Encode("sender");
    private static readonly JsonEncodedText SenderNullMxField = JsonEncodedText.Encode("sender_null_mx");
    private static readonly JsonEncodedText SmtpReplyField = JsonEncodedText.Encode("smtp_reply");
    private static readonly JsonEncodedText SpfField = JsonEncodedText.Encode("spf");
    private static readonly JsonEncodedText SubjectField = JsonEncodedText.Encode("subject");
    private static readonly JsonEncodedText TextField = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText VerdictField = JsonEncodedText.Encode("verdict");
    private static readonly JsonEncodedText ViaField = JsonEncodedText.Encode("via");
    private static readonly JsonEncodedText VoidLookupsField = JsonEncodedText.Encode("void_lookups");

    public static void Write(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        var evidence = outcome.Evidence;
        var decision = outcome.Decision;
        writer.WriteStartObject();
        writer.WriteString(IpField, outcome.Request.Client.ToString());
        writer.WriteString(SenderField, outcome.Request.Sender.Text);
        writer.WriteString(HeloField, outcome.Request.Helo.Text);
        WriteIdentities(writer, outcome);
        writer.WritePropertyName(SpfField);
        WriteSpf(writer, evidence.MailFromSpf, evidence.ResultToken(EvidencePieces.MailFromSpf));
        writer.WritePropertyName(HeloSpfField);
        WriteSpf(writer, evidence.HeloSpf, evidence.ResultToken(EvidencePieces.HeloSpf));
        writer.WritePropertyName(RegistrationField);
        WriteRegistration(writer, evidence.Registration, evidence.ResultToken(EvidencePieces.Registration));
        writer.WritePropertyName(FcrdnsField);
        WriteFcrdns(writer, evidence.Fcrdns, evidence.ResultToken(EvidencePieces.Fcrdns));
        writer.WritePropertyName(ListsField);
        WriteLists(writer, outcome);
        writer.WriteStartObject(RmxField);
        writer.WriteString(ResultField, evidence.ResultToken(EvidencePieces.Rmx));
        writer.WriteString(DomainField, evidence.Rmx.Domain);
        WriteNullable(writer, EntryField, evidence.Rmx.Entry);
        WriteNullable(writer, ProblemField, evidence.Rmx.Problem ?? (evidence.WasAsked(EvidencePieces.Rmx) ? null : evidence.Rmx.Steps[0]));
        writer.WriteEndObject();
        WriteSkipped(writer, evidence.Skipped);
        writer.WriteString(VerdictField, Decision.Token(decision.Verdict));
        writer.WriteString(ActionField, Decision.Token(decision.Action));
        writer.WriteString(EnforcedActionField, Decision.Token(decision.EnforcedAction));
        WriteNullable(writer, SmtpReplyField, decision.SmtpReply);
        writer.WriteString(ReasonField, decision.Reason);
        writer.WriteString(ModeField, Decision.Token(decision.Mode));
        writer.WriteString(RuleField, decision.Rule.When.ToToken());
        writer.WriteEndObject();
    }

    /// <summary>"identities": what the HELO and the sender turned out to be, and the identity rows that hold.</summary>
    private static void WriteIdentities(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        var request = outcome.Request;
        writer.WriteStartObject(IdentitiesField);
        writer.WriteStartObject(HeloField);
        writer.WriteString(KindField, request.Helo.Kind switch
        {
            HeloNameKind.Domain => "domain",
            HeloNameKind.AddressLiteral => "address_literal",
            HeloNameKind.Missing => "missing",
            _ => "malformed",
        });
        WriteNullable(writer, ProblemField, request.Helo.Problem);
        writer.WriteEndObject();
        writer.WriteStartObject(SenderField);
        writer.WriteString(KindField, request.Sender.Kind switch
        {
            ReversePathKind.Null => "null",
            ReversePathKind.Mailbox => "mailbox",
            _ => "malformed",
        });
        WriteNullable(writer, ProblemField, request.Sender.Problem);
        writer.WriteEndObject();
        writer.WriteStartArray(FindingsField);
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
        writer.WriteNumber(LineField, line);
        writer.WriteString(ErrorField, error);
        writer.WriteEndObject();
    }

    /// <summary>"skipped": the pieces the decision did not need and that were not asked ([checks] gather = "decisive"), in output order.</summary>
    private static void WriteSkipped(Utf8JsonWriter writer, EvidencePieces skipped)
    {
        writer.WriteStartArray(SkippedField);
        foreach (var (piece, name) in SkippedNames)
        {
            if ((skipped & piece) != 0)
            {
                writer.WriteStringValue(name);
            }
        }

        writer.WriteEndArray();
    }

    private static readonly (EvidencePieces Piece, JsonEncodedText Name)[] SkippedNames =
    [
        (EvidencePieces.MailFromSpf, SpfField),
        (EvidencePieces.HeloSpf, HeloSpfField),
        (EvidencePieces.Registration, RegistrationField),
        (EvidencePieces.Fcrdns, FcrdnsField),
        (EvidencePieces.Lists, ListsField),
        (EvidencePieces.Rmx, RmxField),
    ];

    private static void WriteSpf(Utf8JsonWriter writer, SpfResult result, string token)
    {
        writer.WriteStartObject();
        writer.WriteString(ResultField, token);
        writer.WriteString(DomainField, result.Domain);
        WriteNullable(writer, MechanismField, result.Mechanism);
        WriteNullable(writer, ExplanationField, result.Explanation);
        writer.WriteNumber(DnsLookupsField, result.DnsLookups);
        writer.WriteNumber(VoidLookupsField, result.VoidLookups);
        WriteNullable(writer, ProblemField, result.Problem);
        writer.WriteEndObject();
    }

    private static void WriteRegistration(Utf8JsonWriter writer, RegistrationResult result, string token)
    {
        writer.WriteStartObject();
        writer.WriteString(ResultField, token);
        WriteNullable(writer, DomainField, result.Domain);
        WriteNullable(writer, OwnerField, result.Owner);
        WriteNullable(writer, ViaField, result.Via is { } via ? Decision.Token(via) : null);
        WriteNullable(writer, MxHostField, result.MxHost);
        if (result.Preference is { } preference)
        {
            writer.WriteNumber(PreferenceField, preference);
        }
        else
        {
            writer.WriteNull(PreferenceField);
        }

        if (result.IsLowestPriority is { } lowest)
        {
            writer.WriteBoolean(LowestPriorityField, lowest);
        }
        else
        {
            writer.WriteNull(LowestPriorityField);
        }

        writer.WriteBoolean(SenderNullMxField, result.SenderHasNullMx);
        writer.WriteNumber(DnsQueriesField, result.DnsQueries);
        WriteNullable(writer, ProblemField, result.Problem);
        writer.WriteStartArray(CandidatesField);
        foreach (var candidate in result.Candidates)
        {
            writer.WriteStartObject();
            writer.WriteString(DomainField, candidate.Domain);
            writer.WriteString(ViaField, Decision.Token(candidate.Via));
            writer.WriteBoolean(OrganizationalField, candidate.IsOrganizationalDomain);
            writer.WriteString(OutcomeField, candidate.Outcome.ToToken());
            WriteDetail(writer, candidate);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The candidate's detail, formatted straight into the answer when it is still data.</summary>
    private static void WriteDetail(Utf8JsonWriter writer, RegistrationCandidate candidate)
    {
        Span<char> text = stackalloc char[1024];
        if (candidate.TryFormatDetail(text, out var written))
        {
            writer.WriteString(DetailField, text[..written]);
        }
        else
        {
            writer.WriteString(DetailField, candidate.Detail);
        }
    }

    private static void WriteFcrdns(Utf8JsonWriter writer, FcrdnsResult result, string token)
    {
        writer.WriteStartObject();
        writer.WriteString(ResultField, token);
        writer.WriteStringArray(PtrNamesField, result.PtrNames);
        writer.WriteStringArray(ConfirmedField, result.ConfirmedNames);
        WriteNullable(writer, ProblemField, result.Problem);
        writer.WriteEndObject();
    }

    private static void WriteLists(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        var evidence = outcome.Evidence;
        writer.WriteStartObject();
        WriteMatch(writer, AllowedField, evidence.Allowed, outcome);
        WriteMatch(writer, BlockedField, evidence.Blocked, outcome);
        writer.WriteStartArray(DnsField);
        foreach (var result in evidence.DnsLists)
        {
            writer.WriteStartObject();
            writer.WriteString(ListField, result.List.Name);
            writer.WriteString(SubjectField, result.Subject);
            writer.WriteString(QueryField, result.QueryName);
            writer.WriteString(OutcomeField, Decision.Token(result.Outcome));
            writer.WriteStringArray(AnswersField, result.Answers.Select(a => a.ToString()));
            WriteNullable(writer, TextField, result.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMatch(Utf8JsonWriter writer, JsonEncodedText name, ListMatch? match, CheckOutcome outcome)
    {
        if (match is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString(ListField, match.List);
        writer.WriteString(SubjectField, match.Subject);
        writer.WriteString(EntryField, match.Entry);
        writer.WriteString(ActionField, Decision.Token(outcome.ListingAction(match)));
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, string? value)
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
