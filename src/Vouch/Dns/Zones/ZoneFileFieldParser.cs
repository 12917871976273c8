using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Network;

namespace Vouch.Dns.Zones;

/// <summary>
/// The grammar of one field of a master-file entry (RFC 1035 §5.1), for a <see cref="ZoneFileReader"/>: domain
/// names against an origin, TTLs and BIND durations, character-strings, addresses, MX preferences and APL
/// items, escapes decoded. Each method reads one token into a value or throws a <see cref="ZoneFileException"/>
/// naming the file and line. It keeps no state of the entry, only a reusable buffer for decoded octets.
/// </summary>
internal sealed class ZoneFileFieldParser
{
    // RFC 2181 §8: a TTL is an unsigned 32-bit number whose top bit must be clear.
    private const uint MaxTtlSeconds = int.MaxValue;

    // RFC 1035 §3.3: a <character-string> is a length octet followed by that many octets.
    private const int MaxCharacterStringOctets = 255;

    private readonly string fileName;
    private byte[] octets = new byte[512];

    /// <summary>Creates the parser of the fields of <paramref name="fileName"/>, named in its errors.</summary>
    public ZoneFileFieldParser(string fileName)
    {
        this.fileName = fileName;
    }

    /// <summary>The error at <paramref name="line"/> of the file.</summary>
    public ZoneFileException Error(int line, string problem) => new(fileName, line, problem);

    /// <summary>An APL item (RFC 3123 §5): <c>[!]afi:address/prefix</c>, afi 1 for IPv4 and 2 for IPv6.</summary>
    public AplItem ParseAplItem(ZoneFileToken field)
    {
        var text = field.Span;
        var negated = text.StartsWith('!');
        if (negated)
        {
            text = text[1..];
        }

        var colon = text.IndexOf(':');
        var slash = text.LastIndexOf('/');
        if (field.IsQuoted || colon < 1 || slash < colon || !(text[..colon] is "1" or "2"))
        {
            throw Error(field.Line, $"APL record: '{field}' is not an APL item, expected [!]1:192.0.2.0/24 or [!]2:2001:db8::/32");
        }

        var isIPv6 = text[0] == '2';
        if (!AddressPrefix.TryParse(text[(colon + 1)..].ToString(), out var network, out _) || (network.Family == AddressFamily.InterNetworkV6) != isIPv6)
        {
            throw Error(field.Line, $"APL record: '{field}' has a bad address or prefix length for address family {text[0]}");
        }

        return new AplItem(negated, network);
    }

    /// <summary>MX PREFERENCE: a 16-bit unsigned decimal number (RFC 1035 §3.3.9).</summary>
    public ushort ParsePreference(ZoneFileToken field)
    {
        if (field.IsQuoted || !ushort.TryParse(field.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var preference))
        {
            throw Error(field.Line, $"MX record: preference '{field}' is not a number from 0 to 65535");
        }

        return preference;
    }

    /// <summary>A RDATA: a dotted quad of decimal octets, each 0–255 without leading zeros (RFC 1035 §3.4.1).</summary>
    public IPAddress ParseIPv4Address(ZoneFileToken field)
    {
        // A leading zero is refused: some readers take it as octal.
        if (field.IsQuoted || !IPAddressText.TryParseIPv4(field.Span, out var address))
        {
            throw Error(field.Line, $"A record: '{field}' is not an IPv4 address");
        }

        return address!;
    }

    /// <summary>AAAA RDATA: an IPv6 address in RFC 4291 §2.2 text form, without a zone index or brackets (RFC 3596 §2.4).</summary>
    public IPAddress ParseIPv6Address(ZoneFileToken field)
    {
        if (field.IsQuoted || !IPAddressText.TryParseIPv6(field.Span, out var address))
        {
            throw Error(field.Line, $"AAAA record: '{field}' is not an IPv6 address");
        }

        return address!;
    }

    /// <summary>A &lt;character-string&gt; (RFC 1035 §5.1): escapes decoded, the octets read as UTF-8, at most 255 octets.</summary>
    public string ParseCharacterString(ZoneFileToken field, DnsRecordType type)
    {
        string text;
        int length;
        if (field.HasEscape)
        {
            length = DecodeOctets(field, 0, stopAtDot: false, out _);
            text = Encoding.UTF8.GetString(octets, 0, length);
        }
        else
        {
            text = field.Raw.ToString();
            length = Encoding.UTF8.GetByteCount(text);
        }

        if (length > MaxCharacterStringOctets)
        {
            throw Error(field.Line, $"{type} record: character-string of {length} octets is longer than {MaxCharacterStringOctets}");
        }

        return text;
    }

    /// <summary>
    /// A &lt;TTL&gt;: decimal seconds, or a BIND duration such as 1h30m (units w, d, h, m, s in any case),
    /// at most 2147483647 seconds (RFC 2181 §8). <paramref name="what"/> opens the error message.
    /// </summary>
    public uint ParseTtl(ZoneFileToken field, string what)
    {
        var seconds = field.IsQuoted ? null : TryParseDuration(field.Span);
        if (seconds is null)
        {
            throw Error(field.Line, $"{what} '{field}' is not a number or a BIND duration");
        }

        if (seconds > MaxTtlSeconds)
        {
            throw Error(field.Line, $"{what} '{field}' is larger than {MaxTtlSeconds} seconds (RFC 2181 §8)");
        }

        return (uint)seconds.Value;
    }

    /// <summary>The seconds in <paramref name="text"/>, saturating far above any valid TTL; null when it is not a duration.</summary>
    private static ulong? TryParseDuration(ReadOnlySpan<char> text)
    {
        const ulong Saturated = 1UL << 40;
        if (text.IsEmpty)
        {
            return null;
        }

        ulong total = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            ulong number = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                number = Math.Min((number * 10) + (ulong)(text[i++] - '0'), Saturated);
            }

            if (i == start)
            {
                return null;
            }

            if (i == text.Length)
            {
                // A bare number is seconds; inside a duration every number needs its unit.
                return start == 0 ? number : null;
            }

            ulong unit = char.ToLowerInvariant(text[i++]) switch
            {
                'w' => 7 * 24 * 3600,
                'd' => 24 * 3600,
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => 0,
            };
            if (unit == 0)
            {
                return null;
            }

            total = Math.Min(total + (number * unit), Saturated);
        }

        return total;
    }

    /// <summary>
    /// A &lt;domain-name&gt; (RFC 1035 §5.1): "@" for <paramref name="origin"/>, absolute when it ends with a dot,
    /// otherwise relative to <paramref name="origin"/> (null when none is set). The result is lower case, without the trailing dot, "" for the root.
    /// An escaped dot or backslash inside a label stays escaped ("\." and "\\") so the label boundaries survive.
    /// </summary>
    public string ParseDomainName(ZoneFileToken field, string? origin)
    {
        if (field.IsQuoted)
        {
            throw Error(field.Line, $"expected a domain name, found the quoted string {field}");
        }

        var raw = field.Span;
        string name;
        bool absolute;
        if (field.HasEscape)
        {
            name = DecodeEscapedName(field, out absolute);
        }
        else if (raw is "@")
        {
            // RFC 1035 §5.1: "@" denotes the current origin.
            return origin ?? throw Error(field.Line, "'@' stands for the origin, but no $ORIGIN is set");
        }
        else if (raw is ".")
        {
            return string.Empty;
        }
        else
        {
            absolute = raw[^1] == '.';
            var body = absolute ? raw[..^1] : raw;
            foreach (var range in body.Split('.'))
            {
                CheckLabelLength(field, Encoding.UTF8.GetByteCount(body[range]));
            }

            name = DnsName.Normalize(body.ToString());
        }

        if (!absolute)
        {
            if (origin is null)
            {
                throw Error(field.Line, $"relative name '{field}' but no $ORIGIN is set");
            }

            name = origin.Length == 0 ? name : string.Concat(name, ".", origin);
        }

        if (name.EndsWith('.'))
        {
            // DnsName.Normalize would take the escaped dot for the trailing one.
            throw Error(field.Line, $"name '{field}' ends in an escaped '.', which is not supported");
        }

        // RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters in text without the trailing dot.
        var length = NameOctets(name);
        if (length > DnsName.MaxLength)
        {
            throw Error(field.Line, $"name '{name}' is {length} octets long; at most {DnsName.MaxLength} are allowed");
        }

        return name;
    }

    private string DecodeEscapedName(ZoneFileToken field, out bool absolute)
    {
        var raw = field.Span;
        var builder = new StringBuilder(raw.Length);
        var position = 0;
        absolute = false;
        while (true)
        {
            var length = DecodeOctets(field, position, stopAtDot: true, out var next);
            if (length == 0 && next == raw.Length && builder.Length > 0)
            {
                absolute = true;
                break;
            }

            CheckLabelLength(field, length);
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            foreach (var c in Encoding.UTF8.GetString(octets, 0, length))
            {
                if (c is '.' or '\\')
                {
                    builder.Append('\\');
                }

                builder.Append(char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
            }

            if (next == raw.Length)
            {
                break;
            }

            position = next + 1;
        }

        return builder.ToString();
    }

    private void CheckLabelLength(ZoneFileToken field, int length)
    {
        if (length == 0)
        {
            throw Error(field.Line, $"empty label in '{field}'");
        }

        if (length > DnsName.MaxLabelLength)
        {
            throw Error(field.Line, $"label longer than {DnsName.MaxLabelLength} characters in '{field}'");
        }
    }

    /// <summary>The octets a name takes in text form: UTF-8, an escaped dot or backslash counting once.</summary>
    private static int NameOctets(string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        for (var i = name.IndexOf('\\', StringComparison.Ordinal); i >= 0 && i < name.Length; i = name.IndexOf('\\', i + 2))
        {
            length--;
        }

        return length;
    }

    /// <summary>
    /// Decodes <paramref name="field"/> from <paramref name="start"/> into <see cref="octets"/>, up to its end
    /// or, with <paramref name="stopAtDot"/>, an unescaped dot; <paramref name="end"/> is where it stopped.
    /// RFC 1035 §5.1: "\DDD" is the octet with that decimal value, "\X" is X itself.
    /// </summary>
    /// <returns>The number of octets decoded.</returns>
    private int DecodeOctets(ZoneFileToken field, int start, bool stopAtDot, out int end)
    {
        var raw = field.Span;

        // No character takes more than three octets in UTF-8, and no escape more than its own length.
        if (octets.Length < raw.Length * 3)
        {
            octets = new byte[raw.Length * 3];
        }

        var count = 0;
        var i = start;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c == '.' && stopAtDot)
            {
                break;
            }

            if (c != '\\')
            {
                var run = raw[i..];
                var runLength = stopAtDot ? run.IndexOfAny('\\', '.') : run.IndexOf('\\');
                run = runLength < 0 ? run : run[..runLength];
                count += Encoding.UTF8.GetBytes(run, octets.AsSpan(count));
                i += run.Length;
            }
            else if (char.IsAsciiDigit(raw[i + 1]))
            {
                if (i + 3 >= raw.Length || !char.IsAsciiDigit(raw[i + 2]) || !char.IsAsciiDigit(raw[i + 3]))
                {
                    var shown = raw.Slice(i, Math.Min(4, raw.Length - i)).ToString();
                    throw Error(field.Line, $"escape '{shown}' needs three decimal digits (\\DDD)");
                }

                var value = ((raw[i + 1] - '0') * 100) + ((raw[i + 2] - '0') * 10) + (raw[i + 3] - '0');
                if (value > 255)
                {
                    throw Error(field.Line, $"escape '{raw.Slice(i, 4)}' is not an octet; expected \\000 to \\255");
                }

                octets[count++] = (byte)value;
                i += 4;
            }
            else
            {
                var length = char.IsHighSurrogate(raw[i + 1]) && i + 2 < raw.Length && char.IsLowSurrogate(raw[i + 2]) ? 2 : 1;
                count += Encoding.UTF8.GetBytes(raw.Slice(i + 1, length), octets.AsSpan(count));
                i += 1 + length;
            }
        }

        end = i;
        return count;
    }
}
