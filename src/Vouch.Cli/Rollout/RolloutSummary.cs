using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vouch.DecisionLog;
using Vouch.Policy;
using Vouch.Registration;

namespace Vouch.Cli.Rollout;

/// <summary>
/// What <c>vouch rollout</c> learns from decision lines, one at a time in bounded memory: how much enforcement
/// would refuse and defer, by rule and by week, and who would be refused (Space-Saving top tables), and with a
/// <see cref="WhatIfComparison"/> what another table would change. Writes it as text, JSON (schema
/// "vouch-rollout/1") or CSV.
/// </summary>
internal sealed class RolloutSummary(PublicSuffixList suffixes, IReadOnlyList<string> inputs, WhatIfComparison? whatIf, TimeProvider time)
{
    /// <summary>Rows in each top table.</summary>
    public const int TopRows = 20;

    private const int TrackedKeys = 5000;
    private readonly Dictionary<PolicyAction, long> totals = [];
    private readonly Dictionary<(RuleCondition Rule, Verdict Verdict, PolicyAction Enforced), long> byRule = [];
    private readonly SortedDictionary<DateOnly, Dictionary<PolicyAction, long>> weeks = [];
    private readonly HashSet<string> configurations = new(StringComparer.Ordinal);
    private readonly TopTable owners = new(TrackedKeys);
    private readonly TopTable domains = new(TrackedKeys);
    private readonly TopTable networks = new(TrackedKeys);
    private readonly Dictionary<string, long> unreadableBecause = new(StringComparer.Ordinal);
    private readonly DecisionLogReader reader = new();

    /// <summary>Lines read.</summary>
    public long Lines { get; private set; }

    /// <summary>Decision lines read.</summary>
    public long Decisions { get; private set; }

    /// <summary>Lines that were not decision lines (other log lines, another schema, broken JSON).</summary>
    public long UnreadableLines => Lines - Decisions;

    /// <summary>Replayed decisions whose HELO the MTA's log did not carry.</summary>
    public long WithoutHelo { get; private set; }

    private DateTimeOffset first = DateTimeOffset.MaxValue;
    private DateTimeOffset last = DateTimeOffset.MinValue;

    /// <summary>Reads one line; a line that is not a decision is counted and skipped.</summary>
    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Add(System.Text.Encoding.UTF8.GetBytes(line));
    }

    /// <summary>Reads one line, as UTF-8 bytes; a line that is not a decision is counted and skipped.</summary>
    public void Add(ReadOnlySpan<byte> line)
    {
        Lines++;
        if (!reader.TryParse(line, out var record, out var problem))
        {
            // Other lines of the same journal ("listening on", key=value decisions) are expected; say which kinds.
            var kind = problem.StartsWith("not JSON", StringComparison.Ordinal) ? "broken JSON or another schema" : problem;
            if (unreadableBecause.Count < 20 || unreadableBecause.ContainsKey(kind))
            {
                unreadableBecause[kind] = unreadableBecause.GetValueOrDefault(kind) + 1;
            }

            return;
        }

        Add(record!, line);
    }

    /// <param name="record">The decision.</param>
    /// <param name="line">Its line; the JSON from its first '{' is kept only as a top table's sample.</param>
    private void Add(DecisionRecord record, ReadOnlySpan<byte> line)
    {
        Decisions++;
        first = record.Time < first ? record.Time : first;
        last = record.Time > last ? record.Time : last;
        if (configurations.Count < 100)
        {
            configurations.Add(record.Configuration);
        }

        if (record.FrontEnd == "replay" && record.Helo.Length == 0)
        {
            WithoutHelo++;
        }

        totals[record.EnforcedAction] = totals.GetValueOrDefault(record.EnforcedAction) + 1;
        var week = WeekStart(record.Time);
        if (!weeks.TryGetValue(week, out var counts))
        {
            weeks[week] = counts = [];
        }

        counts[record.EnforcedAction] = counts.GetValueOrDefault(record.EnforcedAction) + 1;
        if (record.EnforcedAction is PolicyAction.Reject or PolicyAction.Defer)
        {
            var key = (record.Rule, record.Verdict, record.EnforcedAction);
            byRule[key] = byRule.GetValueOrDefault(key) + 1;
        }

        if (record.EnforcedAction == PolicyAction.Reject)
        {
            owners.Add(OwnerOf(record, suffixes), record, line);
            domains.Add(DomainOf(record), record, line);
            networks.Add(NetworkOf(record.Client), record, line);
        }

        whatIf?.Add(record, line);
    }

    /// <summary>
    /// The organisation a decision is charged to: the owner that vouched when one did, otherwise the organisational
    /// domain of the domain the client named (MAIL FROM's, or the HELO name for a bounce); "(none)" without one.
    /// </summary>
    public static string OwnerOf(DecisionRecord record, PublicSuffixList suffixes)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(suffixes);
        if (record.Evidence?.Registration.Owner is { Length: > 0 } owner)
        {
            return owner;
        }

        var domain = DomainOf(record);
        return domain.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(domain) == UriHostNameType.Dns ? suffixes.GetOrganizationalDomain(domain) : domain;
    }

    private static string DomainOf(DecisionRecord record) =>
        record.Evidence?.MailFromSpf.Domain is { Length: > 0 } domain ? domain.ToLowerInvariant()
        : record.Helo.Length > 0 ? record.Helo.ToLowerInvariant()
        : "(none)";

    /// <summary>The client's network: its /24 (IPv4) or /48 (IPv6), as receivers' block lists and providers allocate them.</summary>
    private static string NetworkOf(string client)
    {
        if (!IPAddress.TryParse(client, out var address))
        {
            return client;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var bytes = address.GetAddressBytes();
        var length = bytes.Length == 4 ? 24 : 48;
        Array.Clear(bytes, length / 8, bytes.Length - length / 8);
        return $"{new IPAddress(bytes)}/{length}";
    }

    /// <summary>The Monday of the ISO 8601 week of <paramref name="time"/> (UTC).</summary>
    private static DateOnly WeekStart(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private static string WeekName(DateOnly start)
    {
        var date = start.ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}";
    }

    private long Total(PolicyAction action) => totals.GetValueOrDefault(action);

    private double Share(long count) => Decisions == 0 ? 0 : Math.Round((double)count / Decisions, 4);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The summary as JSON, schema "vouch-rollout/1" (docs/decision-log.md).</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("schema", "vouch-rollout/1");
        json.WriteString("generated", Time(time.GetUtcNow()));
        json.WriteStartArray("inputs");
        foreach (var input in inputs)
        {
            json.WriteStringValue(input);
        }

        json.WriteEndArray();
        json.WriteNumber("lines", Lines);
        json.WriteNumber("decisions", Decisions);
        json.WriteNumber("unreadable_lines", UnreadableLines);
        json.WriteNumber("replayed_without_helo", WithoutHelo);
        if (Decisions > 0)
        {
            json.WriteString("first", Time(first));
            json.WriteString("last", Time(last));
        }
        else
        {
            json.WriteNull("first");
            json.WriteNull("last");
        }

        json.WriteStartArray("configs");
        foreach (var configuration in configurations.Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(configuration);
        }

        json.WriteEndArray();
        json.WriteStartObject("totals");
        foreach (var action in Enum.GetValues<PolicyAction>())
        {
            json.WriteNumber(Decision.Token(action), Total(action));
        }

        json.WriteEndObject();
        json.WriteNumber("would_refuse", Total(PolicyAction.Reject));
        json.WriteNumber("would_defer", Total(PolicyAction.Defer));
        json.WriteNumber("would_refuse_share", Share(Total(PolicyAction.Reject)));
        json.WriteNumber("would_defer_share", Share(Total(PolicyAction.Defer)));
        json.WriteStartArray("by_rule");
        foreach (var (rule, count) in byRule.OrderByDescending(r => r.Value).ThenBy(r => r.Key.Rule))
        {
            json.WriteStartObject();
            json.WriteString("rule", rule.Rule.ToToken());
            json.WriteString("verdict", Decision.Token(rule.Verdict));
            json.WriteString("enforced_action", Decision.Token(rule.Enforced));
            json.WriteNumber("count", count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("weeks");
        foreach (var (start, counts) in weeks)
        {
            json.WriteStartObject();
            json.WriteString("week", WeekName(start));
            json.WriteString("start", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var action in Enum.GetValues<PolicyAction>())
            {
                json.WriteNumber(Decision.Token(action), counts.GetValueOrDefault(action));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteTop(json, "top_owners", owners, key => key);
        WriteTop(json, "top_domains", domains, key => key);
        WriteTop(json, "top_networks", networks, _ => "");
        if (whatIf is null)
        {
            json.WriteNull("what_if");
        }
        else
        {
            WriteWhatIf(json, whatIf);
        }

        json.WriteEndObject();
    }

    private static void WriteTop(Utf8JsonWriter json, string name, TopTable table, Func<string, string> contactDomain)
    {
        json.WriteStartArray(name);
        foreach (var entry in table.Top(TopRows))
        {
            json.WriteStartObject();
            json.WriteString("key", entry.Key);
            json.WriteNumber("count", entry.Count);
            json.WriteBoolean("approximate", entry.Error > 0);
            json.WriteString("first", Time(entry.First));
            json.WriteString("last", Time(entry.Last));
            json.WriteStartObject("rules");
            foreach (var (rule, count) in entry.Rules.OrderByDescending(r => r.Value))
            {
                json.WriteNumber(rule, count);
            }

            json.WriteEndObject();
            json.WriteStartArray("looks_legitimate");
            foreach (var flag in entry.LooksLegitimate())
            {
                json.WriteStringValue(flag);
            }

            json.WriteEndArray();
            json.WriteString("fix", entry.Sample is { } sample ? SenderAdvice.Fix(sample) : "");
            json.WriteString("tell", SenderAdvice.Tell(contactDomain(entry.Key)));
            json.WritePropertyName("sample");
            if (entry.SampleJson is { } sampleJson)
            {
                json.WriteRawValue(sampleJson, skipInputValidation: false);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteWhatIf(Utf8JsonWriter json, WhatIfComparison comparison)
    {
        json.WriteStartObject("what_if");
        json.WriteString("config", comparison.Configuration);
        json.WriteNumber("compared", comparison.Compared);
        json.WriteNumber("changed", comparison.Changed);
        json.WriteNumber("undecidable", comparison.Undecidable);
        json.WriteStartObject("undecidable_because");
        foreach (var (why, count) in comparison.UndecidableBecause)
        {
            json.WriteNumber(why, count);
        }

        json.WriteEndObject();
        json.WriteStartObject("totals");
        foreach (var action in Enum.GetValues<PolicyAction>())
        {
            json.WriteNumber(Decision.Token(action), comparison.Totals.GetValueOrDefault(action));
        }

        json.WriteEndObject();
        json.WriteStartArray("changes");
        foreach (var change in comparison.Changes)
        {
            json.WriteStartObject();
            json.WriteString("from", Decision.Token(change.From));
            json.WriteString("to", Decision.Token(change.To));
            json.WriteString("rule_before", change.RuleBefore.ToToken());
            json.WriteString("rule_after", change.RuleAfter.ToToken());
            json.WriteNumber("count", change.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("by_owner");
        foreach (var owner in comparison.ByOwner(TopRows))
        {
            json.WriteStartObject();
            json.WriteString("key", owner.Owner);
            json.WriteNumber("count", owner.Count);
            json.WriteString("from", Decision.Token(owner.From));
            json.WriteString("to", Decision.Token(owner.To));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
