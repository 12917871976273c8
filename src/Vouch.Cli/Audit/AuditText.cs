using Vouch.Audit;
using Vouch.Policy;
using Vouch.Text;

namespace Vouch.Cli.Audit;

/// <summary>The audit as text a domain owner reads without the docs: the servers, the verdict matrix, the findings.</summary>
internal static class AuditText
{
    private static readonly string[] Columns = ["server", "HELO", "MAIL FROM", "FCrDNS", "SPF", "HELO SPF", "registered", "RMX", "verdict", "enforcement answers"];

    /// <summary>Writes <paramref name="report"/>.</summary>
    public static void Write(TextWriter output, AuditReport report)
    {
        var white = report.Servers.Count(s => report.Rows.Where(r => r.Address.Equals(s.Address)).All(r => r.Outcome.Decision.Verdict == Verdict.White));
        output.WriteLine($"vouch audit {report.Domain}: {report.Servers.Count} {(report.Servers.Count == 1 ? "server" : "servers")}, {white} white with every MAIL FROM and for bounces; {report.Of(FindingSeverity.Error).Count()} errors, {report.Of(FindingSeverity.Warn).Count()} warnings, {report.Of(FindingSeverity.TestError).Count()} DNS failures");
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
        if (report.Findings.Count == 0)
        {
            output.WriteLine("No findings: every server is white.");
            return;
        }

        WriteFindings(output, report);
        if (report.Fixes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Records to publish ({AuditZone.After(report)} when they are; --format zone prints just these lines):");
            AuditZone.Write(output, report);
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
