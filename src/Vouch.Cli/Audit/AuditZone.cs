using Vouch.Audit;
using Vouch.Policy;
using Vouch.Text;

namespace Vouch.Cli.Audit;

/// <summary>The proposed fixes as zone-file lines (RFC 1035 §5): an $ORIGIN per name, the old record as a comment, the new one.</summary>
internal static class AuditZone
{
    /// <summary>Writes the fixes of <paramref name="report"/>, with the re-audit's result in a comment.</summary>
    public static void Write(TextWriter output, AuditReport report)
    {
        if (report.Fixes.Count == 0)
        {
            output.WriteLine(report.AllWhite ? $"; vouch audit {report.Domain}: every server passes; nothing to publish" : $"; vouch audit {report.Domain}: no record change alone makes the servers pass; see the findings");
            return;
        }

        output.WriteLine($"; vouch audit {report.Domain}: {report.Fixes.Count} {(report.Fixes.Count == 1 ? "record" : "records")} to publish; {After(report)}");
        foreach (var fix in report.Fixes)
        {
            output.WriteLine($"$ORIGIN {fix.Name}.");
            output.WriteLine($"; why ({fix.Id}): {UntrustedText.Line(fix.Why, 300)}");
            if (fix.Before is { } before)
            {
                output.WriteLine($"; - @ IN TXT {Quoted(before)}");
            }

            output.WriteLine($"@ 3600 IN TXT {Quoted(fix.After)}");
        }
    }

    /// <summary>What the re-audit found: "after: 2 of 2 servers white".</summary>
    public static string After(AuditReport report)
    {
        if (report.After is not { } after)
        {
            return "";
        }

        var lookups = after.Spf is { Tree: not null } spf ? $"; SPF lookups {spf.DnsLookups}/10" : "";
        return $"after: {after.WhiteServers} of {after.Servers.Count} servers white{lookups}";
    }

    // Strings of at most 255 octets, each quoted, backslash and quote escaped (RFC 1035 §5.1).
    private static string Quoted(string record) =>
        string.Join(' ', AuditFix.TxtStrings(record).Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
}
