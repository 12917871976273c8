using System.Globalization;
using System.Text;
using System.Text.Json;
using Vouch.Text;

namespace Vouch.Cli.Rollout;

/// <summary>The rollout summary (its JSON, schema "vouch-rollout/1") as text a person reads in a minute, and as CSV.</summary>
internal static class RolloutText
{
    private static readonly string[] Tables = ["top_owners", "top_domains", "top_networks"];
    private static readonly string[] Actions = ["accept", "tag", "defer", "reject"];

    /// <summary>Writes the summary for a person.</summary>
    public static void Write(TextWriter output, string summaryJson)
    {
        using var document = JsonDocument.Parse(summaryJson);
        var root = document.RootElement;
        var decisions = root.GetProperty("decisions").GetInt64();
        var inputs = root.GetProperty("inputs").GetArrayLength();
        output.WriteLine(Invariant($"vouch rollout: {decisions:N0} decisions{Period(root)} from {inputs} {(inputs == 1 ? "input" : "inputs")}{Skipped(root)}"));
        if (decisions == 0)
        {
            output.WriteLine("no decision lines: is [server] decision_log or json_log set, and is this the right file?");
            return;
        }

        var totals = root.GetProperty("totals");
        output.WriteLine(Invariant($"enforcement would refuse {root.GetProperty("would_refuse").GetInt64():N0} ({Percent(root.GetProperty("would_refuse_share").GetDouble())}) and defer {root.GetProperty("would_defer").GetInt64():N0} ({Percent(root.GetProperty("would_defer_share").GetDouble())}); accept {totals.GetProperty("accept").GetInt64():N0}, tag {totals.GetProperty("tag").GetInt64():N0}"));
        output.WriteLine($"configurations: {string.Join(", ", root.GetProperty("configs").EnumerateArray().Select(c => c.GetString()))}");
        if (root.GetProperty("replayed_without_helo").GetInt64() is > 0 and var withoutHelo)
        {
            output.WriteLine(Invariant($"{withoutHelo:N0} replayed messages had no HELO in the Postfix log and were checked without one (smtpd_log_access_permit_actions = static:all logs it)"));
        }

        output.WriteLine();
        output.WriteLine("would refuse or defer, by rule:");
        foreach (var rule in root.GetProperty("by_rule").EnumerateArray())
        {
            var count = rule.GetProperty("count").GetInt64();
            output.WriteLine(Invariant($"  {rule.GetProperty("rule").GetString(),-22} {rule.GetProperty("enforced_action").GetString(),-7} {count,10:N0}  {Percent((double)count / decisions),6}"));
        }

        WriteWeeks(output, root);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["top_owners"] = "owners that would be refused (organisational domain)",
            ["top_domains"] = "domains that would be refused (MAIL FROM, or HELO for bounces)",
            ["top_networks"] = "client networks that would be refused",
        };
        foreach (var table in Tables)
        {
            output.WriteLine();
            output.WriteLine($"{titles[table]}:");
            var rows = root.GetProperty(table);
            if (rows.GetArrayLength() == 0)
            {
                output.WriteLine("  none");
            }

            foreach (var row in rows.EnumerateArray().Take(10))
            {
                WriteRow(output, row);
            }
        }

        if (root.GetProperty("what_if") is { ValueKind: JsonValueKind.Object } whatIf)
        {
            WriteWhatIf(output, whatIf);
        }
    }

    private static void WriteWeeks(TextWriter output, JsonElement root)
    {
        output.WriteLine();
        output.WriteLine("by week (what enforcement would answer):");
        var shares = new List<double>();
        foreach (var week in root.GetProperty("weeks").EnumerateArray())
        {
            var reject = week.GetProperty("reject").GetInt64();
            var defer = week.GetProperty("defer").GetInt64();
            var all = reject + defer + week.GetProperty("accept").GetInt64() + week.GetProperty("tag").GetInt64();
            var share = all == 0 ? 0 : (double)reject / all;
            shares.Add(share);
            output.WriteLine(Invariant($"  {week.GetProperty("week").GetString()} (from {week.GetProperty("start").GetString()})  refuse {reject,8:N0}  defer {defer,7:N0}  of {all,9:N0}  {Percent(share),6} refused"));
        }

        if (shares.Count >= 2)
        {
            var change = shares[^1] - shares[0];
            output.WriteLine(Invariant($"  trend: {(Math.Abs(change) < 0.005 ? "flat" : change < 0 ? "shrinking" : "growing")} ({Percent(shares[0])} in the first week, {Percent(shares[^1])} in the last)"));
        }
    }

    private static void WriteRow(TextWriter output, JsonElement row)
    {
        var rules = string.Join(", ", row.GetProperty("rules").EnumerateObject().Select(r => Invariant($"{r.Name} {r.Value.GetInt64():N0}")));
        var approximate = row.GetProperty("approximate").GetBoolean() ? "≤" : "";
        output.WriteLine(Invariant($"  {UntrustedText.Line(row.GetProperty("key").GetString() ?? "", 60),-40} {approximate}{row.GetProperty("count").GetInt64(),8:N0}  {Day(row, "first")} .. {Day(row, "last")}  {rules}"));
        var flags = row.GetProperty("looks_legitimate").EnumerateArray().Select(f => f.GetString()).ToList();
        if (flags.Count > 0)
        {
            output.WriteLine($"      looks legitimate: {string.Join(", ", flags)}");
            output.WriteLine($"      fix for the sender: {UntrustedText.Line(row.GetProperty("fix").GetString() ?? "", 400)}");
            if (row.GetProperty("tell").GetString() is { Length: > 0 } tell)
            {
                output.WriteLine($"      tell: {UntrustedText.Line(tell, 200)}");
            }
        }
    }

    private static void WriteWhatIf(TextWriter output, JsonElement whatIf)
    {
        output.WriteLine();
        var compared = whatIf.GetProperty("compared").GetInt64();
        var changed = whatIf.GetProperty("changed").GetInt64();
        output.WriteLine(Invariant($"what-if under configuration {whatIf.GetProperty("config").GetString()}: {changed:N0} of {compared:N0} requests would be answered differently (decided again from the recorded evidence, no DNS)"));
        var totals = whatIf.GetProperty("totals");
        output.WriteLine(Invariant($"  enforcement would then refuse {totals.GetProperty("reject").GetInt64():N0}, defer {totals.GetProperty("defer").GetInt64():N0}, accept {totals.GetProperty("accept").GetInt64():N0}, tag {totals.GetProperty("tag").GetInt64():N0}"));
        if (whatIf.GetProperty("undecidable").GetInt64() is > 0 and var undecidable)
        {
            output.WriteLine(Invariant($"  {undecidable:N0} could not be decided again: {string.Join("; ", whatIf.GetProperty("undecidable_because").EnumerateObject().Select(w => $"{w.Name}: {w.Value.GetInt64()}"))}"));
        }

        foreach (var change in whatIf.GetProperty("changes").EnumerateArray())
        {
            output.WriteLine(Invariant($"  {change.GetProperty("from").GetString()} -> {change.GetProperty("to").GetString(),-7} {change.GetProperty("rule_before").GetString(),22} -> {change.GetProperty("rule_after").GetString(),-22} {change.GetProperty("count").GetInt64(),8:N0}"));
        }

        foreach (var owner in whatIf.GetProperty("by_owner").EnumerateArray().Take(10))
        {
            output.WriteLine(Invariant($"    {UntrustedText.Line(owner.GetProperty("key").GetString() ?? "", 60),-40} {owner.GetProperty("count").GetInt64(),8:N0}  {owner.GetProperty("from").GetString()} -> {owner.GetProperty("to").GetString()}"));
        }
    }

    /// <summary>Writes the summary's tables as CSV (RFC 4180): one row per rule, week and top-table key.</summary>
    public static void WriteCsv(TextWriter output, string summaryJson)
    {
        using var document = JsonDocument.Parse(summaryJson);
        var root = document.RootElement;
        output.WriteLine("table,key,count,approximate,first,last,rules,looks_legitimate,fix,tell");
        foreach (var rule in root.GetProperty("by_rule").EnumerateArray())
        {
            Row(output, "by_rule", $"{rule.GetProperty("rule").GetString()}:{rule.GetProperty("enforced_action").GetString()}", rule.GetProperty("count").GetInt64(), false, "", "", "", "", "", "");
        }

        foreach (var week in root.GetProperty("weeks").EnumerateArray())
        {
            var counts = string.Join(";", Actions.Select(a => $"{a}={week.GetProperty(a).GetInt64()}"));
            Row(output, "weeks", week.GetProperty("week").GetString()!, week.GetProperty("reject").GetInt64(), false, week.GetProperty("start").GetString()!, "", counts, "", "", "");
        }

        foreach (var table in Tables)
        {
            foreach (var row in root.GetProperty(table).EnumerateArray())
            {
                Row(output, table, row.GetProperty("key").GetString()!, row.GetProperty("count").GetInt64(), row.GetProperty("approximate").GetBoolean(),
                    row.GetProperty("first").GetString()!, row.GetProperty("last").GetString()!,
                    string.Join(";", row.GetProperty("rules").EnumerateObject().Select(r => $"{r.Name}={r.Value.GetInt64()}")),
                    string.Join(";", row.GetProperty("looks_legitimate").EnumerateArray().Select(f => f.GetString())),
                    row.GetProperty("fix").GetString()!, row.GetProperty("tell").GetString()!);
            }
        }
    }

    private static void Row(TextWriter output, string table, string key, long count, bool approximate, string first, string last, string rules, string flags, string fix, string tell) =>
        output.WriteLine(string.Join(",", new[] { table, key, count.ToString(CultureInfo.InvariantCulture), approximate ? "true" : "false", first, last, rules, flags, fix, tell }.Select(Field)));

    // RFC 4180 §2: a field with a comma, quote or line break is quoted, its quotes doubled. A leading = + - @
    // is prefixed with ' so that a spreadsheet does not run a hostile sender's text as a formula.
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Period(JsonElement root) =>
        root.GetProperty("first").ValueKind == JsonValueKind.String ? $" from {Day(root, "first")} to {Day(root, "last")}" : "";

    private static string Skipped(JsonElement root) =>
        root.GetProperty("unreadable_lines").GetInt64() is > 0 and var skipped ? Invariant($" ({skipped:N0} other lines skipped)") : "";

    private static string Day(JsonElement element, string name) => element.GetProperty(name).GetString()?[..10] ?? "";

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
