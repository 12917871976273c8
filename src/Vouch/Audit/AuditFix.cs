using System.Net;

namespace Vouch.Audit;

/// <summary>One record the audit proposes: the SPF record of a name, new or changed, and the servers it makes pass.</summary>
/// <param name="Id">The fix kind: F-SPF-IP (the MAIL FROM domain's SPF lists the server) or F-HELO-SPF (the HELO name's SPF does, for bounces).</param>
/// <param name="Name">The name the TXT record is published at (no trailing dot).</param>
/// <param name="Before">The SPF record there now, or null when there is none.</param>
/// <param name="After">The record to publish instead.</param>
/// <param name="Covers">The servers it adds.</param>
/// <param name="Why">Why, in one line, for the zone file's comment.</param>
public sealed record AuditFix(string Id, string Name, string? Before, string After, IReadOnlyList<IPAddress> Covers, string Why)
{
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
}
