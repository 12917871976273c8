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

        var records = report.Fixes.Sum(f => f.Records.Count);
        output.WriteLine($"; vouch audit {report.Domain}: {records} {(records == 1 ? "record" : "records")} to publish; {After(report)}");
        foreach (var fix in report.Fixes)
        {
            output.WriteLine($"$ORIGIN {fix.Name}.");
            output.WriteLine($"; why ({fix.Id}, {fix.Cost}): {UntrustedText.Line(fix.Why, 300)}");
            if (fix.SideEffects is { } effects)
            {
                output.WriteLine($"; note: {UntrustedText.Line(effects, 400)}");
            }

            if (fix.Before is { } before)
            {
                output.WriteLine($"; - @ IN TXT {Quoted(before)}");
            }

            foreach (var line in fix.ZoneLines)
            {
                output.WriteLine(line);
            }
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

    // Strings of at most 255 octets, each quoted (RFC 1035 §5.1).
    private static string Quoted(string record) => string.Join(' ', AuditFix.TxtStrings(record).Select(ZoneLine.Quoted));
}
