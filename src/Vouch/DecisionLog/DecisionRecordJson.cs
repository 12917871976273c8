using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Vouch.Lists;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.DecisionLog;

/// <summary>
/// The decision log's JSON line (schema 1, <c>docs/decision-log.md</c>): writes a <see cref="DecisionRecord"/> as one
/// object, and reads one back, evidence included, so that a decision table can weigh it again without DNS.
/// Field names are the schema: they change only with <see cref="DecisionRecord.SchemaVersion"/>.
/// </summary>
public static class DecisionRecordJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The record as one line of JSON (no line break).</summary>
    public static string Format(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(json, record);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the record as one JSON object.</summary>
    public static void Write(Utf8JsonWriter json, DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(record);
        json.WriteStartObject();
        json.WriteNumber("v", DecisionRecord.SchemaVersion);
        json.WriteString("time", record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("front_end", record.FrontEnd);
        json.WriteString("config", record.Configuration);
        json.WriteString("queue_id", record.QueueId);
        json.WriteString("client", record.Client);
        json.WriteString("helo", record.Helo);
        json.WriteString("sender", record.Sender);
        if (record.Evidence is { } evidence)
        {
            WriteEvidence(json, evidence);
        }

        json.WriteString("verdict", Decision.Token(record.Verdict));
        json.WriteString("action", Decision.Token(record.Action));
        json.WriteString("enforced_action", Decision.Token(record.EnforcedAction));
        json.WriteString("mode", Decision.Token(record.Mode));
        json.WriteString("rule", record.Rule.ToToken());
        json.WriteString("reason", record.Reason);
        WriteOptional(json, "reply", record.Reply);
        json.WriteString("answer", record.Answer);
        if (record.Milliseconds is { } milliseconds)
        {
            json.WriteNumber("ms", milliseconds);
            json.WriteNumber("dns", record.DnsQueries);
        }

        json.WriteEndObject();
    }

    private static void WriteEvidence(Utf8JsonWriter json, Evidence evidence)
    {
        json.WriteStartArray("identity");
        foreach (var finding in PolicyEngine.IdentityFindings(evidence))
        {
            json.WriteStringValue(finding.ToToken());
        }

        json.WriteEndArray();
        var mailFrom = evidence.MailFromSpf;
        json.WriteString("spf", evidence.ResultToken(EvidencePieces.MailFromSpf));
        json.WriteString("spf_domain", mailFrom.Domain);
        WriteOptional(json, "spf_mechanism", mailFrom.Mechanism);
        WriteOptional(json, "spf_explanation", mailFrom.Explanation);
        WriteOptional(json, "spf_problem", mailFrom.Problem);
        var helo = evidence.HeloSpf;
        json.WriteString("helo_spf", evidence.ResultToken(EvidencePieces.HeloSpf));
        json.WriteString("helo_spf_domain", helo.Domain);
        WriteOptional(json, "helo_spf_problem", helo.Problem);
        if (!helo.WasChecked)
        {
            json.WriteBoolean("helo_spf_checked", false);
        }

        json.WriteString("fcrdns", evidence.ResultToken(EvidencePieces.Fcrdns));
        WriteStrings(json, "fcrdns_names", evidence.Fcrdns.ConfirmedNames);
        var registration = evidence.Registration;
        json.WriteString("registration", evidence.ResultToken(EvidencePieces.Registration));
        WriteOptional(json, "domain", registration.Domain);
        WriteOptional(json, "owner", registration.Owner);
        WriteOptional(json, "route", registration.Via is { } via ? Decision.Token(via) : null);
        WriteOptional(json, "mx_host", registration.MxHost);
        if (registration.Preference is { } preference)
        {
            json.WriteNumber("preference", preference);
        }

        if (registration.IsLowestPriority is { } lowest)
        {
            json.WriteBoolean("lowest_priority", lowest);
        }

        json.WriteBoolean("sender_null_mx", registration.SenderHasNullMx);
        WriteOptional(json, "registration_problem", registration.Problem);
        json.WriteStartArray("candidates");
        foreach (var candidate in registration.Candidates)
        {
            json.WriteStartObject();
            json.WriteString("domain", candidate.Domain);
            json.WriteString("route", Decision.Token(candidate.Via));
            json.WriteString("outcome", candidate.Outcome.ToToken());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        var rmx = evidence.Rmx;
        json.WriteString("rmx", evidence.ResultToken(EvidencePieces.Rmx));
        json.WriteString("rmx_domain", rmx.Domain);
        WriteOptional(json, "rmx_entry", rmx.Entry);
        WriteOptional(json, "rmx_problem", rmx.Problem);
        WriteListing(json, "allowed", evidence.Allowed);
        WriteListing(json, "local_blocked", evidence.LocalBlocked);
        json.WriteStartArray("dns_lists");
        foreach (var list in evidence.DnsLists)
        {
            json.WriteStartObject();
            json.WriteString("list", list.List.Name);
            json.WriteString("zone", list.List.Zone);
            json.WriteString("kind", Decision.Token(list.List.Kind));
            json.WriteString("subject", list.Subject);
            json.WriteString("query", list.QueryName);
            json.WriteString("outcome", Decision.Token(list.Outcome));
            WriteOptional(json, "text", list.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteOptional(json, "own_mx_host", evidence.OwnMxHost);
        WriteOptional(json, "trusted_network", evidence.TrustedNetwork);
        if (evidence.Skipped != EvidencePieces.None)
        {
            json.WriteStartArray("not_asked");
            foreach (var (word, piece) in Words.Pieces)
            {
                if (!evidence.WasAsked(piece))
                {
                    json.WriteStringValue(word);
                }
            }

            json.WriteEndArray();
        }
    }

    private static void WriteListing(Utf8JsonWriter json, string name, ListMatch? listing)
    {
        if (listing is null)
        {
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("list", listing.List);
        json.WriteString("subject", listing.Subject);
        json.WriteString("entry", listing.Entry);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>
    /// Reads one decision-log line: the JSON object from its first '{' (so a syslog or journald prefix is skipped).
    /// False, with <paramref name="problem"/> saying why, for a line that is not a decision of a schema this
    /// version reads; a decision line without evidence (nothing could be checked) reads with a null evidence.
    /// </summary>
    public static bool TryParse(string line, out DecisionRecord? record, out string problem) => TryParse(line, new DecisionLineReader(), out record, out problem);

    /// <summary>Reads one decision-log line, as UTF-8 bytes, with <paramref name="reader"/>; see <see cref="TryParse(string, out DecisionRecord?, out string)"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> line, DecisionLineReader reader, out DecisionRecord? record, out string problem)
    {
        record = null;
        var start = line.IndexOf((byte)'{');
        if (start < 0)
        {
            problem = "no JSON object";
            return false;
        }

        DecisionLine? read;
        try
        {
            read = reader.Read(line[start..]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // InvalidOperationException: a value of another type than the field's (a text where a number goes)
            // or text that is not UTF-8; FormatException: a number out of range.
            problem = $"not JSON of the schema: {e.Message}";
            return false;
        }

        return TryRead(read, out record, out problem);
    }

    /// <summary>Reads one decision-log line with <paramref name="reader"/>, which keeps the values lines repeat; see <see cref="TryParse(string, out DecisionRecord?, out string)"/>.</summary>
    internal static bool TryParse(string line, DecisionLineReader reader, out DecisionRecord? record, out string problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        return TryParse(System.Text.Encoding.UTF8.GetBytes(line), reader, out record, out problem);
    }

    private static bool TryRead(DecisionLine? line, out DecisionRecord? record, out string problem)
    {
        record = null;
        var version = line?.Version ?? 0;
        if (line is null || version != DecisionRecord.SchemaVersion)
        {
            problem = version == 0 ? "not a decision line (no \"v\")" : $"schema version {version}; this vouch reads version {DecisionRecord.SchemaVersion}";
            return false;
        }

        if (!DateTimeOffset.TryParse(line.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            || !EnumWords<Verdict>.TryParse(line.Verdict, out var verdict)
            || !EnumWords<PolicyAction>.TryParse(line.Action, out var action)
            || !EnumWords<PolicyAction>.TryParse(line.EnforcedAction, out var enforced)
            || !EnumWords<PolicyMode>.TryParse(line.Mode, out var mode)
            || !RuleConditionExtensions.TryParse(line.Rule ?? "", out var rule))
        {
            problem = "a decision line without a readable time, verdict, action, enforced_action, mode or rule";
            return false;
        }

        var client = line.Client ?? "";
        Evidence? evidence = null;
        if (line.Spf is not null && IPAddress.TryParse(client, out var address))
        {
            evidence = ReadEvidence(line, CheckRequest.Create(address, line.Sender, line.Helo));
        }

        record = new DecisionRecord(
            time, line.FrontEnd ?? "", line.Config ?? "", line.QueueId ?? "", client, line.Helo ?? "", line.Sender ?? "", evidence,
            verdict, action, enforced, mode, rule, line.Reason ?? "", line.Reply, line.Answer ?? "", line.Milliseconds, line.Dns ?? 0);
        problem = "";
        return true;
    }

    private static Evidence ReadEvidence(DecisionLine line, CheckRequest request)
    {
        var notAsked = EvidencePieces.None;
        foreach (var word in line.NotAsked ?? [])
        {
            foreach (var (name, piece) in Words.Pieces)
            {
                notAsked |= word == name ? piece : EvidencePieces.None;
            }
        }

        // A piece not asked reads as none: the table never weighed it, and Skipped says so.
        var spfCode = SpfResultCodeExtensions.TryParse(line.Spf ?? "", out var code) ? code : SpfResultCode.None;
        var heloCode = SpfResultCodeExtensions.TryParse(line.HeloSpf ?? "", out code) ? code : SpfResultCode.None;
        var mailFromSpf = new SpfResult(spfCode, SpfIdentity.MailFrom, line.SpfDomain ?? "", request.Sender.Text, line.SpfMechanism, line.SpfExplanation, false, 0, 0, line.SpfProblem, []);
        var heloSpf = new SpfResult(heloCode, SpfIdentity.Helo, line.HeloSpfDomain ?? "", "", null, null, false, 0, 0, line.HeloSpfProblem, []) { WasChecked = line.HeloSpfChecked ?? true };
        IReadOnlyList<string> names = line.FcrdnsNames ?? [];
        var fcrdns = new FcrdnsResult(Words.Fcrdns(line.Fcrdns ?? ""), names, names, null);
        var candidates = new List<RegistrationCandidate>(line.Candidates?.Count ?? 0);
        foreach (var candidate in line.Candidates ?? [])
        {
            if (EnumWords<RegistrationRoute>.TryParse(candidate.Route, out var candidateRoute) && EnumWords<CandidateOutcome>.TryParse(candidate.Outcome, out var outcome))
            {
                candidates.Add(new RegistrationCandidate(candidate.Domain ?? "", candidateRoute, false, outcome, ""));
            }
        }

        RegistrationRoute? route = EnumWords<RegistrationRoute>.TryParse(line.Route, out var via) ? via : null;
        var registration = new RegistrationResult(
            Words.Registration(line.Registration ?? ""), line.Domain, line.Owner, route, line.MxHost, line.Preference, line.LowestPriority,
            candidates, line.SenderNullMx ?? false, 0, line.RegistrationProblem);
        var rmx = new RmxResult(Words.Rmx(line.Rmx ?? ""), line.RmxDomain ?? "", line.RmxEntry, line.RmxProblem, []);
        var lists = new List<DnsListResult>(line.DnsLists?.Count ?? 0);
        foreach (var answer in line.DnsLists ?? [])
        {
            if (EnumWords<DnsListKind>.TryParse(answer.Kind, out var kind) && EnumWords<DnsListOutcome>.TryParse(answer.Outcome, out var listOutcome))
            {
                var list = new DnsListDefinition(answer.List ?? "", answer.Zone ?? "", kind, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);
                lists.Add(new DnsListResult(list, answer.Subject ?? "", answer.Query ?? "", listOutcome, [], answer.Text));
            }
        }

        return new Evidence(request, mailFromSpf, heloSpf, fcrdns, registration, Listing(line.Allowed), Listing(line.LocalBlocked), lists, rmx)
        {
            OwnMxHost = line.OwnMxHost,
            TrustedNetwork = line.TrustedNetwork,
            Skipped = notAsked,
        };
    }

    private static ListMatch? Listing(DecisionLine.ListingLine? listing) =>
        listing is null ? null : new ListMatch(listing.List ?? "", listing.Subject ?? "", listing.Entry ?? "");
}
