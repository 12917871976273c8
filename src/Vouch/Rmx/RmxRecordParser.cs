using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Rmx;

/// <summary>Reads RMX records in the TXT encoding (draft §7.1): whitespace-separated entries <c>[!]tag:data</c>.</summary>
public static class RmxRecordParser
{
    /// <summary>Parses one record's entries, in order.</summary>
    /// <param name="text">The record text (its TXT strings joined).</param>
    /// <param name="entries">The entries, or null.</param>
    /// <param name="problem">What is wrong, or null.</param>
    /// <returns>False on an unknown tag or malformed data: the check's result is then BadData (§7.2.1: abort, do not skip).</returns>
    public static bool TryParse(string text, out IReadOnlyList<RmxEntry>? entries, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<RmxEntry>();
        entries = null;
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Any(c => c is < '!' or > '~'))
            {
                problem = $"'{token}' has a character outside printable ASCII";
                return false;
            }

            if (!TryParseEntry(token, out var entry, out problem))
            {
                return false;
            }

            list.Add(entry!);
        }

        entries = list;
        problem = null;
        return true;
    }

    private static bool TryParseEntry(string token, out RmxEntry? entry, out string? problem)
    {
        entry = null;
        var negated = token.StartsWith('!');
        var body = negated ? token[1..] : token;
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            problem = $"'{token}' is not an entry, expected [!]tag:data";
            return false;
        }

        var tag = body[..colon];
        var data = body[(colon + 1)..];
        if (!TryReadTag(tag, out var type))
        {
            problem = $"unknown tag '{tag}' in '{token}' (the draft requires aborting on an unknown entry type, §7.2.1)";
            return false;
        }

        AddressPrefix? network = null;
        problem = type switch
        {
            RmxEntryType.IPv4 or RmxEntryType.IPv6 => ReadNetwork(data, type, out network),
            RmxEntryType.Host or RmxEntryType.Apl => DnsName.IsValidMultiLabel(DnsName.Normalize(data)) ? null : $"'{token}': '{data}' is not a domain name",
            RmxEntryType.Domain => data.Length == 0 || DnsName.IsValidMultiLabel(DnsName.Normalize(data)) ? null : $"'{token}': '{data}' is not a domain name",
            _ => data.Length == 0 ? null : $"'{token}': {tag} takes no data",
        };

        // §7.2.5: unused and full do not allow the negation flag.
        if (problem is null && negated && type is RmxEntryType.Unused or RmxEntryType.Full)
        {
            problem = $"'{token}': {tag} cannot be negated";
        }

        if (problem is not null)
        {
            return false;
        }

        entry = new RmxEntry(negated, type, data, network, token);
        return true;
    }

    /// <summary>Tags are case-insensitive mnemonics or the draft's decimal type codes (§5.1).</summary>
    private static bool TryReadTag(string tag, out RmxEntryType type)
    {
        type = tag.ToLowerInvariant() switch
        {
            "ipv4" or "1" => RmxEntryType.IPv4,
            "ipv6" or "2" => RmxEntryType.IPv6,
            "host" or "3" => RmxEntryType.Host,
            "apl" or "4" => RmxEntryType.Apl,
            "domain" or "5" => RmxEntryType.Domain,
            "unused" or "6" => RmxEntryType.Unused,
            "full" or "7" => RmxEntryType.Full,
            "mx" => RmxEntryType.Mx,
            _ => 0,
        };
        return type != 0;
    }

    private static string? ReadNetwork(string data, RmxEntryType type, out AddressPrefix? network)
    {
        network = null;
        if (!AddressPrefix.TryParse(data, out var prefix) ||
            (prefix.Family == System.Net.Sockets.AddressFamily.InterNetworkV6) != (type == RmxEntryType.IPv6))
        {
            return $"'{data}' is not an {(type == RmxEntryType.IPv6 ? "IPv6" : "IPv4")} address or network";
        }

        network = prefix;
        return null;
    }
}
