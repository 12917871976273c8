using System.Net;
using Vouch.Dns;

namespace Vouch.Audit;

/// <summary>
/// Records the audit proposes, as they would be published, and the servers they make pass. The report's
/// <see cref="AuditReport.Fixes"/> are the cheapest set that works (re-audited); the rest are its
/// <see cref="AuditReport.Alternatives"/>.
/// </summary>
/// <param name="Id">The fix kind: F-SPF-IP (the MAIL FROM domain's SPF lists the server first), F-HELO-SPF (the HELO name's SPF does, for bounces), F-LOW-MX (a low-priority MX host), F-OUT-DOMAIN (the server named in an outbound-only zone that is its own MX), F-RMX (an RMX entry), F-PTR (a PTR record at the address's provider), F-FLATTEN (the owner's own includes replaced by their addresses).</param>
/// <param name="Name">The name the fix is published at: its zone file's $ORIGIN (no trailing dot).</param>
/// <param name="Covers">The servers it is for.</param>
/// <param name="Records">The records to publish. An SPF record replaces the name's SPF record (a name has one, RFC 7208 §4.5); other records are added.</param>
/// <param name="Why">Why, in one line, for the zone file's comment.</param>
/// <param name="Cost">What it costs.</param>
public sealed record AuditFix(string Id, string Name, IReadOnlyList<IPAddress> Covers, IReadOnlyList<ResourceRecord> Records, string Why, FixCost Cost)
{
    /// <summary>The SPF record it replaces, or null.</summary>
    public string? Before { get; init; }

    /// <summary>What else it brings, or who must act; null when nothing.</summary>
    public string? SideEffects { get; init; }

    /// <summary>The kind of fix this one contains and takes the place of at the same name (an F-SPF-IP built on the flattened record: F-FLATTEN), or null.</summary>
    public string? Supersedes { get; init; }

    /// <summary>The HELO name the server must greet with for the fix to work (F-OUT-DOMAIN), or null.</summary>
    public string? HeloName { get; init; }

    /// <summary>The SPF record it publishes, or null.</summary>
    public string? After => Records.Where(r => r.Type == DnsRecordType.TXT && IsSpf(((TxtRecord)r.Data).Text)).Select(r => ((TxtRecord)r.Data).Text).FirstOrDefault();

    /// <summary>The records as zone-file lines relative to <see cref="Name"/> (RFC 1035 §5.1).</summary>
    public IReadOnlyList<string> ZoneLines => [.. Records.Select(r => ZoneLine.Format(r, Name))];

    /// <summary>A record as TXT strings of at most 255 octets (RFC 7208 §3.3: receivers join them without spaces).</summary>
    public static IReadOnlyList<string> TxtStrings(string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var strings = new List<string>();
        for (var start = 0; start < record.Length; start += 255)
        {
            strings.Add(record.Substring(start, Math.Min(255, record.Length - start)));
        }

        return strings;
    }

    /// <summary>Whether a TXT record's text is an SPF record: "v=spf1" exactly, then a space or the end (RFC 7208 §4.5).</summary>
    public static bool IsSpf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');
    }
}
