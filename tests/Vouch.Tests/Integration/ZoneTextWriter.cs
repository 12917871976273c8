using System.Globalization;
using System.Net;
using System.Text;
using Vouch.Dns;
using Vouch.Dns.Zones;

namespace Vouch.Tests.Integration;

/// <summary>Writes zone data as one RFC 1035 zone file for the root ("."), so NSD can serve any name in it.</summary>
internal static class ZoneTextWriter
{
    public static string WriteRootZone(ZoneData data)
    {
        var text = new StringBuilder();
        text.AppendLine("$TTL 300");
        text.AppendLine(". SOA ns.vouch-root. hostmaster.vouch-root. 1 3600 600 86400 60");
        text.AppendLine(". NS ns.vouch-root.");
        text.AppendLine("ns.vouch-root. A 127.0.0.1");
        foreach (var record in data.Records)
        {
            var owner = Name(record.Name);
            var rdata = record.Data switch
            {
                TxtRecord { Strings.Count: 0 } => null,
                TxtRecord txt => string.Join(' ', txt.Strings.Select(Quote)),
                IPAddress address => address.ToString(),
                MxRecord mx => string.Create(CultureInfo.InvariantCulture, $"{mx.Preference} {Name(mx.Exchange)}"),
                string name => Name(name),
                _ => null,
            };
            if (rdata is not null)
            {
                text.Append(owner).Append(' ').Append(record.Type).Append(' ').AppendLine(rdata);
            }
        }

        return text.ToString();
    }

    /// <summary>An absolute name, with every octet outside letters, digits, '-', '_' and '*' escaped as \DDD (RFC 1035 §5.1).</summary>
    private static string Name(string name)
    {
        if (name.Length == 0)
        {
            return ".";
        }

        var escaped = new StringBuilder();
        foreach (var octet in Encoding.UTF8.GetBytes(name))
        {
            if (char.IsAsciiLetterOrDigit((char)octet) || octet is (byte)'-' or (byte)'_' or (byte)'*' or (byte)'.')
            {
                escaped.Append((char)octet);
            }
            else
            {
                escaped.Append('\\').Append(octet.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return escaped.Append('.').ToString();
    }

    /// <summary>A quoted character-string: printable ASCII as is, everything else as \DDD octets of its UTF-8 form.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var octet in Encoding.UTF8.GetBytes(value))
        {
            if (octet is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
            {
                quoted.Append((char)octet);
            }
            else
            {
                quoted.Append('\\').Append(octet.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return quoted.Append('"').ToString();
    }
}
