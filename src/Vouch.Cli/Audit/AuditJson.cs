using System.Buffers;
using System.Text;
using System.Text.Json;
using Vouch.Audit;
using Vouch.Policy;

namespace Vouch.Cli.Audit;

/// <summary>The audit as one JSON object, schema "vouch-audit/1" (README lists the field names; they are kept stable).</summary>
internal static class AuditJson
{
    /// <summary>The report as JSON; with <paramref name="live"/>, the same servers on the live DNS beside it (what-if).</summary>
    public static string Format(AuditReport report, int exitCode, AuditReport? live = null)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("schema", "vouch-audit/1");
            json.WriteString("domain", report.Domain);
            json.WriteNumber("exit_code", exitCode);
            json.WriteBoolean("all_white", report.AllWhite);
            json.WriteStartArray("servers");
            foreach (var server in report.Servers)
            {
                json.WriteStartObject();
                json.WriteString("ip", server.Address.ToString());
                json.WriteString("origin", server.Origin);
                json.WriteStringArray("helos", server.Helos);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("rows");
            foreach (var row in report.Rows)
            {
                var evidence = row.Outcome.Evidence;
                var decision = row.Outcome.Decision;
                json.WriteStartObject();
                json.WriteString("ip", row.Address.ToString());
                json.WriteString("helo", row.Helo);
                json.WriteString("mail_from", row.MailFrom);
                json.WriteString("fcrdns", evidence.ResultToken(EvidencePieces.Fcrdns));
                json.WriteString("spf", evidence.ResultToken(EvidencePieces.MailFromSpf));
                json.WriteString("helo_spf", evidence.ResultToken(EvidencePieces.HeloSpf));
                json.WriteString("registration", evidence.ResultToken(EvidencePieces.Registration));
                if (evidence.Registration.Domain is { } domain)
                {
                    json.WriteString("registered_by", domain);
                    json.WriteString("route", evidence.Registration.Via is { } via ? Decision.Token(via) : null);
                    json.WriteString("mx_host", evidence.Registration.MxHost);
                    if (evidence.Registration.Preference is { } preference)
                    {
                        json.WriteNumber("preference", preference);
                    }
                }

                json.WriteString("rmx", evidence.ResultToken(EvidencePieces.Rmx));
                json.WriteString("listed", evidence.Blocked is { } listed ? $"{listed.List}: {listed.Entry}" : null);
                json.WriteString("verdict", Decision.Token(decision.Verdict));
                json.WriteString("enforced_action", Decision.Token(decision.EnforcedAction));
                json.WriteString("rule", decision.Rule.When.ToToken());
                json.WriteString("smtp_reply", decision.SmtpReply);
                json.WriteString("reason", decision.Reason);
                json.WriteStartObject("profiles");
                foreach (var (profile, outcome) in row.Profiles)
                {
                    json.WriteString(profile, Decision.Token(outcome.Decision.Verdict));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                json.WriteStartObject();
                json.WriteString("id", finding.Id);
                json.WriteString("severity", AuditText.Word(finding.Severity));
                json.WriteString("subject", finding.Subject);
                json.WriteString("message", finding.Message);
                json.WriteString("rfc", finding.Rfc);
                json.WriteString("evidence", finding.Evidence);
                json.WriteString("fix", finding.Fix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (report.Spf is { } spf)
            {
                json.WriteStartObject("spf");
                json.WriteString("record", spf.RecordText);
                json.WriteNumber("dns_lookups", spf.DnsLookups);
                json.WriteNumber("void_lookups", spf.VoidLookups);
                json.WritePropertyName("tree");
                WriteNode(json, spf, spf.Tree);
                json.WriteStartArray("providers");
                foreach (var provider in spf.Providers)
                {
                    json.WriteStartObject();
                    json.WriteString("domain", provider.Domain);
                    json.WriteString("included_from", provider.IncludedFrom);
                    json.WriteNumber("ip4_terms", provider.Ip4Terms);
                    json.WriteNumber("ip6_terms", provider.Ip6Terms);
                    json.WriteNumber("lookups", provider.Lookups);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("spf");
            }

            WriteFixes(json, "fixes", report.Fixes);
            if (live is not null)
            {
                json.WriteStartObject("live");
                json.WriteBoolean("all_white", live.AllWhite);
                WriteVerdicts(json, live.Rows);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("live");
            }

            WriteFixes(json, "alternatives", report.Alternatives);
            if (report.After is { } after)
            {
                json.WriteStartObject("after");
                json.WriteBoolean("all_white", after.AllWhite);
                json.WriteNumber("servers", after.Servers.Count);
                json.WriteNumber("white_servers", after.WhiteServers);
                json.WriteNumber("errors", after.Of(FindingSeverity.Error).Count());
                if (after.Spf is { Tree: not null } afterSpf)
                {
                    json.WriteNumber("spf_lookups", afterSpf.DnsLookups);
                }

                WriteVerdicts(json, after.Rows);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("after");
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteVerdicts(Utf8JsonWriter json, IReadOnlyList<AuditRow> rows)
    {
        json.WriteStartArray("rows");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("ip", row.Address.ToString());
            json.WriteString("helo", row.Helo);
            json.WriteString("mail_from", row.MailFrom);
            json.WriteString("verdict", Decision.Token(row.Outcome.Decision.Verdict));
            json.WriteString("rule", row.Outcome.Decision.Rule.When.ToToken());
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteFixes(Utf8JsonWriter json, string property, IReadOnlyList<AuditFix> fixes)
    {
        json.WriteStartArray(property);
        foreach (var fix in fixes)
        {
            json.WriteStartObject();
            json.WriteString("id", fix.Id);
            json.WriteString("name", fix.Name);
            json.WriteStringArray("covers", fix.Covers.Select(a => a.ToString()));
            json.WriteString("before", fix.Before);
            json.WriteString("after", fix.After);
            json.WriteStringArray("zone_lines", fix.ZoneLines);
            json.WriteString("helo_name", fix.HeloName);
            json.WriteString("why", fix.Why);
            json.WriteString("side_effects", fix.SideEffects);
            json.WriteStartObject("cost");
            json.WriteNumber("records", fix.Cost.Records);
            json.WriteNumber("spf_lookups", fix.Cost.SpfLookups);
            json.WriteNumber("bytes", fix.Cost.Bytes);
            json.WriteBoolean("provider_must_act", fix.Cost.ProviderMustAct);
            json.WriteBoolean("server_change", fix.Cost.ServerChange);
            json.WriteBoolean("vouch_only", fix.Cost.VouchOnly);
            json.WriteBoolean("upkeep", fix.Cost.Upkeep);
            json.WriteString("text", fix.Cost.ToString());
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNode(Utf8JsonWriter json, SpfRecordReport spf, SpfBudgetNode? node)
    {
        if (node is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteString("domain", node.Domain);
        json.WriteString("record", node.Text);
        json.WriteNumber("lookups", node.Lookups);
        json.WriteString("problem", node.Problem);
        json.WriteStartArray("terms");
        foreach (var term in node.Terms)
        {
            json.WriteStartObject();
            json.WriteString("term", term.Text);
            json.WriteNumber("cost", term.Cost);
            json.WriteNumber("subtree_cost", term.SubtreeCost);
            json.WriteNumber("running_total", term.RunningTotal);
            json.WriteNumber("void_lookups", term.VoidLookups);
            json.WriteNumber("spare", spf.Spare(term));
            json.WriteStringArray("one_more_breaks", spf.BrokenByOneMore(term).Select(a => a.ToString()));
            json.WriteStringArray("matches", term.Matches.Select(a => a.ToString()));
            json.WriteString("notes", term.Notes.ToString());
            json.WritePropertyName("child");
            // A provider's record is summarised under "providers", a loop's would never end.
            WriteNode(json, spf, term.Notes.HasFlag(SpfTermNotes.Provider) || term.Notes.HasFlag(SpfTermNotes.Loop) ? null : term.Child);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
