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
        WriteOptional(json, "route", registration.Via is { } via ? Words.Of(via) : null);
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
            json.WriteString("route", Words.Of(candidate.Via));
            json.WriteString("outcome", Words.Of(candidate.Outcome));
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
            json.WriteString("kind", Words.Of(list.List.Kind));
            json.WriteString("subject", list.Subject);
            json.WriteString("query", list.QueryName);
            json.WriteString("outcome", Words.Of(list.Outcome));
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
    public static bool TryParse(string line, out DecisionRecord? record, out string problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        record = null;
        var start = line.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            problem = "no JSON object";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line.AsMemory(start));
            return TryRead(document.RootElement, out record, out problem);
        }
        catch (JsonException e)
        {
            problem = $"not JSON: {e.Message}";
            return false;
        }
    }

    /// <summary>Reads one decision-log object; see <see cref="TryParse"/>.</summary>
    public static bool TryRead(JsonElement root, out DecisionRecord? record, out string problem)
    {
        record = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return false;
        }

        var version = root.TryGetProperty("v", out var v) && v.TryGetInt32(out var number) ? number : 0;
        if (version != DecisionRecord.SchemaVersion)
        {
            problem = version == 0 ? "not a decision line (no \"v\")" : $"schema version {version}; this vouch reads version {DecisionRecord.SchemaVersion}";
            return false;
        }

        if (!DateTimeOffset.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            || !Words.TryParse(Text(root, "verdict"), out Verdict verdict)
            || !Words.TryParse(Text(root, "action"), out PolicyAction action)
            || !Words.TryParse(Text(root, "enforced_action"), out PolicyAction enforced)
            || !Words.TryParse(Text(root, "mode"), out PolicyMode mode)
            || !RuleConditionExtensions.TryParse(Text(root, "rule"), out var rule))
        {
            problem = "a decision line without a readable time, verdict, action, enforced_action, mode or rule";
            return false;
        }

        var client = Text(root, "client");
        var helo = Text(root, "helo");
        var sender = Text(root, "sender");
        Evidence? evidence = null;
        if (root.TryGetProperty("spf", out _) && IPAddress.TryParse(client, out var address))
        {
            evidence = ReadEvidence(root, CheckRequest.Create(address, sender, helo));
        }

        record = new DecisionRecord(
            time, Text(root, "front_end"), Text(root, "config"), Text(root, "queue_id"), client, helo, sender, evidence,
            verdict, action, enforced, mode, rule, Text(root, "reason"), Optional(root, "reply"), Text(root, "answer"),
            root.TryGetProperty("ms", out var ms) && ms.TryGetDouble(out var milliseconds) ? milliseconds : null,
            root.TryGetProperty("dns", out var dns) && dns.TryGetInt32(out var queries) ? queries : 0);
        problem = "";
        return true;
    }

    private static Evidence ReadEvidence(JsonElement root, CheckRequest request)
    {
        var notAsked = EvidencePieces.None;
        if (root.TryGetProperty("not_asked", out var skipped) && skipped.ValueKind == JsonValueKind.Array)
        {
            foreach (var word in skipped.EnumerateArray())
            {
                foreach (var (name, piece) in Words.Pieces)
                {
                    if (word.ValueKind == JsonValueKind.String && word.ValueEquals(name))
                    {
                        notAsked |= piece;
                    }
                }
            }
        }

        // A piece not asked reads as none: the table never weighed it, and Skipped says so.
        var spfCode = SpfResultCodeExtensions.TryParse(Text(root, "spf"), out var code) ? code : SpfResultCode.None;
        var heloCode = SpfResultCodeExtensions.TryParse(Text(root, "helo_spf"), out code) ? code : SpfResultCode.None;
        var mailFromSpf = new SpfResult(spfCode, SpfIdentity.MailFrom, Text(root, "spf_domain"), request.Sender.Text, Optional(root, "spf_mechanism"), Optional(root, "spf_explanation"), false, 0, 0, Optional(root, "spf_problem"), []);
        var heloSpf = new SpfResult(heloCode, SpfIdentity.Helo, Text(root, "helo_spf_domain"), "", null, null, false, 0, 0, Optional(root, "helo_spf_problem"), [])
        {
            WasChecked = !(root.TryGetProperty("helo_spf_checked", out var checkedHelo) && checkedHelo.ValueKind == JsonValueKind.False),
        };
        var names = Strings(root, "fcrdns_names");
        var fcrdns = new FcrdnsResult(Words.Fcrdns(Text(root, "fcrdns")), names, names, null);
        var candidates = new List<RegistrationCandidate>();
        if (root.TryGetProperty("candidates", out var tried) && tried.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in tried.EnumerateArray())
            {
                if (candidate.ValueKind == JsonValueKind.Object
                    && Words.TryParse(Text(candidate, "route"), out RegistrationRoute candidateRoute)
                    && Words.TryParse(Text(candidate, "outcome"), out CandidateOutcome outcome))
                {
                    candidates.Add(new RegistrationCandidate(Text(candidate, "domain"), candidateRoute, false, outcome, ""));
                }
            }
        }

        RegistrationRoute? route = Words.TryParse(Text(root, "route"), out RegistrationRoute via) ? via : null;
        var registration = new RegistrationResult(
            Words.Registration(Text(root, "registration")), Optional(root, "domain"), Optional(root, "owner"), route, Optional(root, "mx_host"),
            root.TryGetProperty("preference", out var preference) && preference.TryGetInt32(out var value) ? value : null,
            root.TryGetProperty("lowest_priority", out var lowest) && lowest.ValueKind is JsonValueKind.True or JsonValueKind.False ? lowest.GetBoolean() : null,
            candidates, root.TryGetProperty("sender_null_mx", out var nullMx) && nullMx.ValueKind == JsonValueKind.True, 0, Optional(root, "registration_problem"));
        var rmx = new RmxResult(Words.Rmx(Text(root, "rmx")), Text(root, "rmx_domain"), Optional(root, "rmx_entry"), Optional(root, "rmx_problem"), []);
        var lists = new List<DnsListResult>();
        if (root.TryGetProperty("dns_lists", out var answers) && answers.ValueKind == JsonValueKind.Array)
        {
            foreach (var answer in answers.EnumerateArray())
            {
                if (answer.ValueKind == JsonValueKind.Object
                    && Words.TryParse(Text(answer, "kind"), out DnsListKind kind)
                    && Words.TryParse(Text(answer, "outcome"), out DnsListOutcome listOutcome))
                {
                    var list = new DnsListDefinition(Text(answer, "list"), Text(answer, "zone"), kind, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);
                    lists.Add(new DnsListResult(list, Text(answer, "subject"), Text(answer, "query"), listOutcome, [], Optional(answer, "text")));
                }
            }
        }

        return new Evidence(request, mailFromSpf, heloSpf, fcrdns, registration, Listing(root, "allowed"), Listing(root, "local_blocked"), lists, rmx)
        {
            OwnMxHost = Optional(root, "own_mx_host"),
            TrustedNetwork = Optional(root, "trusted_network"),
            Skipped = notAsked,
        };
    }

    private static ListMatch? Listing(JsonElement root, string name) =>
        root.TryGetProperty(name, out var listing) && listing.ValueKind == JsonValueKind.Object
            ? new ListMatch(Text(listing, "list"), Text(listing, "subject"), Text(listing, "entry"))
            : null;

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array
            ? [.. values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
