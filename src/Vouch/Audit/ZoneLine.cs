using System.Net;
using Vouch.Dns;

namespace Vouch.Audit;

/// <summary>Resource records written as master-file lines (RFC 1035 §5.1), the way <c>vouch audit</c> proposes them.</summary>
public static class ZoneLine
{
    /// <summary>The TTL proposed records get.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    /// <summary>One line: the owner relative to <paramref name="origin"/> ("@" for the origin itself), TTL, class, type, data (names in it absolute).</summary>
    public static string Format(ResourceRecord record, string origin)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(origin);
        var data = record.Data switch
        {
            TxtRecord txt => string.Join(' ', txt.Strings.Select(Quoted)),
            // Names in the data are written whole: a provider sent a PTR line reads it without the $ORIGIN.
            MxRecord mx => $"{mx.Preference} {mx.Exchange}.",
            IPAddress address => address.ToString(),
            string host => host + ".",
            _ => record.Data.ToString(),
        };
        return $"{Name(record.Name, origin)} {(int)record.TimeToLive.TotalSeconds} IN {record.Type} {data}";
    }

    /// <summary>A name relative to <paramref name="origin"/> when it lies under it, else absolute with its trailing dot.</summary>
    public static string Name(string name, string origin)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(origin);
        if (string.Equals(name, origin, StringComparison.OrdinalIgnoreCase))
        {
            return "@";
        }

        return name.EndsWith("." + origin, StringComparison.OrdinalIgnoreCase) ? name[..^(origin.Length + 1)] : name + ".";
    }

    /// <summary>
    /// A character-string quoted (RFC 1035 §5.1): backslash and quote escaped, and every octet outside printable
    /// ASCII as \DDD, so that text read from the DNS can never end the line or the string early.
    /// </summary>
    public static string Quoted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (var octet in System.Text.Encoding.UTF8.GetBytes(text))
        {
            _ = octet switch
            {
                (byte)'"' or (byte)'\\' => quoted.Append('\\').Append((char)octet),
                < 0x20 or > 0x7e => quoted.Append('\\').Append(octet.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)),
                _ => quoted.Append((char)octet),
            };
        }

        return quoted.Append('"').ToString();
    }
}
