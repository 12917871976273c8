using Vouch.Audit;
using Vouch.Policy;
using Vouch.Text;

namespace Vouch.Cli.Audit;

/// <summary>The audit as text a domain owner reads without the docs: the servers, the verdict matrix, the findings.</summary>
internal static class AuditText
{
    private static readonly string[] WhatIfColumns = ["server", "HELO", "MAIL FROM", "live DNS", "with the zone files"];

    private static readonly string[] Columns = ["server", "HELO", "MAIL FROM", "FCrDNS", "SPF", "HELO SPF", "registered", "RMX", "verdict", "enforcement answers"];

    /// <summary>Writes <paramref name="report"/>; with <paramref name="live"/>, first how the live DNS and the zone files differ (what-if).</summary>
    public static void Write(TextWriter output, AuditReport report, AuditReport? live = null)
    {
        output.WriteLine($"vouch audit {report.Domain}: {report.Servers.Count} {(report.Servers.Count == 1 ? "server" : "servers")}, {report.WhiteServers} white with every MAIL FROM and for bounces; {report.Of(FindingSeverity.Error).Count()} errors, {report.Of(FindingSeverity.Warn).Count()} warnings, {report.Of(FindingSeverity.TestError).Count()} DNS failures");
        output.WriteLine();
        output.WriteLine("What a receiver running Vouch decides (the same as 'vouch check' gives):");
        var table = new List<string[]> { Columns };
        foreach (var row in report.Rows)
        {
            var evidence = row.Outcome.Evidence;
            var decision = row.Outcome.Decision;
            var registration = evidence.Registration;
            table.Add(
            [
                row.Address.ToString(),
                Safe(row.Helo),
                row.MailFrom.Length == 0 ? "<> (bounce)" : $"<{Safe(row.MailFrom)}>",
                evidence.ResultToken(EvidencePieces.Fcrdns),
                evidence.ResultToken(EvidencePieces.MailFromSpf),
                evidence.ResultToken(EvidencePieces.HeloSpf),
                registration.Code == Registration.RegistrationResultCode.Registered ? $"{registration.Domain} (MX {registration.Preference})" : evidence.ResultToken(EvidencePieces.Registration),
                evidence.ResultToken(EvidencePieces.Rmx),
                Decision.Token(decision.Verdict),
                decision.SmtpReply is { } reply ? Safe(reply[..Math.Min(reply.Length, 9)]) : Decision.Token(decision.EnforcedAction),
            ]);
        }

        WriteTable(output, table);
        output.WriteLine();
        if (live is not null)
        {
            WriteWhatIf(output, report, live);
        }

        if (report.Findings.Count == 0)
        {
            output.WriteLine("No findings: every server is white.");
            return;
        }

        WriteFindings(output, report);
        if (report.Spf?.Tree is { } tree)
        {
            output.WriteLine();
            var left = 10 - report.Spf.DnsLookups;
            output.WriteLine($"The SPF of {report.Domain}, term by term: DNS lookups {report.Spf.DnsLookups}/10, void lookups {report.Spf.VoidLookups}/2 (RFC 7208 §4.6.4); the total runs in the order a receiver evaluates:");
            output.WriteLine(left > 0
                ? $"  {left} {(left == 1 ? "lookup" : "lookups")} left: an include that costs more, placed before a term, turns every server that term matches into a permerror"
                : "  no lookup left: every term past the limit gives permerror to the servers it would have matched");
            WriteTree(output, report.Spf, tree, "  ");
        }
        if (report.Fixes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Records to publish ({AuditZone.After(report)} when they are; --format zone prints just these lines):");
            AuditZone.Write(output, report);
        }

        if (report.Alternatives.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Other records that would do, dearer (cost: records, SPF lookups, bytes; who must act):");
            foreach (var alternative in report.Alternatives)
            {
                output.WriteLine($"  {alternative.Id} for {string.Join(", ", alternative.Covers)}: {alternative.Cost}");
                if (alternative.SideEffects is { } effects)
                {
                    output.WriteLine($"    note: {Safe(effects)}");
                }

                output.WriteLine($"    $ORIGIN {Safe(alternative.Name)}.");
                foreach (var line in alternative.ZoneLines)
                {
                    output.WriteLine($"    {Safe(line)}");
                }
            }
        }
    }

    private static void WriteFindings(TextWriter output, AuditReport report)
    {
        output.WriteLine("Findings:");
        foreach (var finding in report.Findings)
        {
            output.WriteLine($"  {Word(finding.Severity),-10} {finding.Id,-18} {Safe(finding.Subject)}");
            output.WriteLine($"             {Safe(finding.Message)}{(finding.Rfc is null ? "" : $" [{finding.Rfc}]")}");
            if (finding.Evidence is { } seen)
            {
                output.WriteLine($"             seen: {Safe(seen)}");
            }

            if (finding.Fix is { } fix)
            {
                output.WriteLine($"             fix: {fix}");
            }
        }
    }

    private static void WriteWhatIf(TextWriter output, AuditReport report, AuditReport live)
    {
        output.WriteLine("Live DNS and with the zone files (what-if):");
        var table = new List<string[]> { WhatIfColumns };
        foreach (var row in report.Rows)
        {
            var before = live.Rows.FirstOrDefault(r => r.Address.Equals(row.Address) && r.Helo == row.Helo && r.MailFrom == row.MailFrom);
            table.Add(
            [
                row.Address.ToString(),
                Safe(row.Helo),
                row.MailFrom.Length == 0 ? "<> (bounce)" : $"<{Safe(row.MailFrom)}>",
                before is null ? "-" : $"{Decision.Token(before.Outcome.Decision.Verdict)} ({before.Outcome.Decision.Rule.When.ToToken()})",
                $"{Decision.Token(row.Outcome.Decision.Verdict)} ({row.Outcome.Decision.Rule.When.ToToken()})",
            ]);
        }

        WriteTable(output, table);
        output.WriteLine();
    }

    private static void WriteTree(TextWriter output, SpfRecordReport spf, SpfBudgetNode node, string indent)
    {
        output.WriteLine($"{indent}{Safe(node.Domain)}  \"{Safe(node.Text ?? "")}\"{(node.Problem is { } problem ? $"  ({Safe(problem)})" : "")}");
        foreach (var term in node.Terms)
        {
            var notes = term.Notes == SpfTermNotes.None ? "" : "  " + string.Join(", ", Enum.GetValues<SpfTermNotes>().Where(n => n != SpfTermNotes.None && term.Notes.HasFlag(n)).Select(NoteWord));
            // An all term "matches" whatever reaches it; naming every server there would read as if it authorised them.
            var matches = term.Matches.Count > 0 && !term.Text.EndsWith("all", StringComparison.OrdinalIgnoreCase) ? $"  matches {string.Join(", ", term.Matches)}" : "";
            var cost = term.SubtreeCost > term.Cost ? $"costs {term.SubtreeCost} with what it includes" : $"costs {term.Cost}";
            var broken = spf.BrokenByOneMore(term);
            var fragile = broken.Count > 0 ? $"  no lookup to spare: one more include before it makes {string.Join(", ", broken)} permerror" : "";
            output.WriteLine($"{indent}  {Safe(term.Text),-40} {cost,-32} total {term.RunningTotal,2}{matches}{notes}{fragile}");
            if (term.Child is { } child && !term.Notes.HasFlag(SpfTermNotes.Provider) && !term.Notes.HasFlag(SpfTermNotes.Loop))
            {
                WriteTree(output, spf, child, indent + "    ");
            }
        }
    }

    private static string NoteWord(SpfTermNotes note) => note switch
    {
        SpfTermNotes.Provider => "a provider's",
        SpfTermNotes.DeadTarget => "dead target",
        SpfTermNotes.Loop => "loop",
        SpfTermNotes.DuplicateInclude => "included twice",
        SpfTermNotes.BeyondLimit => "beyond the limit: permerror if reached",
        SpfTermNotes.NeverReached => "never reached",
        SpfTermNotes.Void => "void lookup",
        SpfTermNotes.Macro => "macro",
        SpfTermNotes.DnsFailure => "DNS failure",
        _ => "not walked",
    };

    /// <summary>The severity's word in text and JSON: error, warn, info, test-error.</summary>
    public static string Word(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Error => "error",
        FindingSeverity.Warn => "warn",
        FindingSeverity.Info => "info",
        _ => "test-error",
    };

    private static string Safe(string text) => UntrustedText.Line(text, 300);

    private static void WriteTable(TextWriter output, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine("  " + string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
