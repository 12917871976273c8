using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Vouch.Network;

namespace Vouch.Dns.Zones;

/// <summary>
/// The grammar of RFC 1035 §5.1 master files, applied to the entries a <see cref="ZoneFileTokenizer"/>
/// yields. One instance reads one file: it holds the current origin, the last owner and the TTL defaults.
/// </summary>
internal sealed class ZoneFileReader
{
    private const uint DefaultTtlSeconds = 3600;

    // RFC 2181 §8: a TTL is an unsigned 32-bit number whose top bit must be clear.
    private const uint MaxTtlSeconds = int.MaxValue;

    // RFC 1035 §3.3: a <character-string> is a length octet followed by that many octets.
    private const int MaxCharacterStringOctets = 255;

    private const string SupportedTypes = "A, AAAA, APL, CNAME, MX, NS, PTR, SOA, SPF or TXT";

    private readonly string fileName;
    private readonly ZoneFileTokenizer tokenizer;
    private readonly List<ZoneFileToken> fields = [];
    private readonly List<ResourceRecord> records = [];
    private readonly List<string> origins = [];
    private byte[] octets = new byte[512];
    private string? origin;
    private string? previousOwner;
    private uint? directiveTtl;
    private uint? previousTtl;

    /// <summary>Prepares to read <paramref name="text"/>; <paramref name="defaultOrigin"/> (normalized) is the origin before any $ORIGIN.</summary>
    public ZoneFileReader(string text, string fileName, string? defaultOrigin)
    {
        this.fileName = fileName;
        tokenizer = new ZoneFileTokenizer(text, fileName);
        if (defaultOrigin is not null)
        {
            origin = defaultOrigin;
            AddOrigin(defaultOrigin);
        }
    }

    /// <summary>Reads every entry of the file.</summary>
    /// <exception cref="ZoneFileException">The file has an error.</exception>
    public ZoneFileContent Read()
    {
        while (tokenizer.ReadEntry(fields, out var startsWithBlank))
        {
            var first = fields[0];
            if (!first.IsQuoted && first.Span[0] == '$')
            {
                ParseControlEntry();
            }
            else
            {
                ParseResourceRecord(startsWithBlank);
            }
        }

        return new ZoneFileContent(records, origins);
    }

    /// <summary>
    /// <c>$ORIGIN &lt;domain-name&gt;</c> (RFC 1035 §5.1) or <c>$TTL &lt;TTL&gt;</c> (RFC 2308 §4).
    /// <c>$INCLUDE</c> is refused: a zone is loaded from one file.
    /// </summary>
    private void ParseControlEntry()
    {
        var directive = fields[0];
        if (directive.IsWord("$ORIGIN"))
        {
            // RFC 1035 §5.1: a relative $ORIGIN is taken relative to the current origin.
            origin = ParseDomainName(SingleArgument("$ORIGIN", "a domain name"));
            AddOrigin(origin);
        }
        else if (directive.IsWord("$TTL"))
        {
            directiveTtl = ParseTtl(SingleArgument("$TTL", "a TTL"), "TTL");
        }
        else if (directive.IsWord("$INCLUDE"))
        {
            throw Error(directive.Line, "$INCLUDE is not supported; load each zone file on its own");
        }
        else
        {
            throw Error(directive.Line, $"unknown directive '{directive}'; expected $ORIGIN or $TTL");
        }
    }

    private ZoneFileToken SingleArgument(string directive, string expected)
    {
        if (fields.Count < 2)
        {
            throw Error(fields[0].Line, $"{directive} needs {expected}");
        }

        if (fields.Count > 2)
        {
            throw Error(fields[2].Line, $"{directive}: unexpected '{fields[2]}' after {expected}");
        }

        return fields[1];
    }

    /// <summary>
    /// <c>&lt;domain-name&gt;&lt;rr&gt;</c> or <c>&lt;blank&gt;&lt;rr&gt;</c>, where
    /// <c>&lt;rr&gt; = [&lt;TTL&gt;] [&lt;class&gt;] &lt;type&gt; &lt;RDATA&gt; | [&lt;class&gt;] [&lt;TTL&gt;] &lt;type&gt; &lt;RDATA&gt;</c> (RFC 1035 §5.1).
    /// </summary>
    private void ParseResourceRecord(bool startsWithBlank)
    {
        var index = 0;

        // RFC 1035 §5.1: a blank owner repeats the last stated owner.
        var owner = startsWithBlank
            ? previousOwner ?? throw Error(fields[0].Line, "the line starts with a blank, which repeats the previous owner name, but there is none yet")
            : ParseDomainName(fields[index++]);
        var ttl = ParseTtlAndClass(ref index);
        var type = ParseType(fields[index++]);
        if (type == DnsRecordType.APL)
        {
            // One record per APL item: the resolver answers with the items of all the name's APL records.
            var aplSeconds = ttl ?? directiveTtl ?? previousTtl ?? DefaultTtlSeconds;
            while (index < fields.Count)
            {
                records.Add(new ResourceRecord(owner, type, TimeSpan.FromSeconds(aplSeconds), ParseAplItem(fields[index++])));
            }

            previousOwner = owner;
            previousTtl = aplSeconds;
            return;
        }

        var data = ParseRdata(type, ref index);
        if (index < fields.Count)
        {
            throw Error(fields[index].Line, $"{type} record: unexpected '{fields[index]}' after the record data");
        }

        // RFC 2308 §4 ($TTL), then RFC 1035 §5.1 (the last stated TTL), then the SOA's own minimum.
        var soaMinimum = data is SoaRecord soa ? (uint?)soa.Minimum.TotalSeconds : null;
        var seconds = ttl ?? directiveTtl ?? previousTtl ?? soaMinimum ?? DefaultTtlSeconds;
        records.Add(new ResourceRecord(owner, type, TimeSpan.FromSeconds(seconds), data));
        previousOwner = owner;
        previousTtl = seconds;
        if (type == DnsRecordType.SOA)
        {
            AddOrigin(owner);
        }
    }

    /// <summary>
    /// <c>[&lt;TTL&gt;] [&lt;class&gt;]</c> in either order (RFC 1035 §5.1), leaving <paramref name="index"/> at the type.
    /// A field that starts with a digit is a TTL; the only class accepted is IN.
    /// </summary>
    /// <returns>The TTL in seconds, or null when none is given.</returns>
    private uint? ParseTtlAndClass(ref int index)
    {
        uint? ttl = null;
        var classSeen = false;
        for (; ; index++)
        {
            if (index == fields.Count)
            {
                throw Error(fields[^1].Line, $"missing record type after '{fields[^1]}'");
            }

            var field = fields[index];
            if (!field.IsQuoted && char.IsAsciiDigit(field.Span[0]))
            {
                if (ttl is not null)
                {
                    throw Error(field.Line, $"a second TTL '{field}'; expected a class or a record type");
                }

                ttl = ParseTtl(field, "TTL");
            }
            else if (IsClass(field))
            {
                if (classSeen)
                {
                    throw Error(field.Line, $"a second class '{field}'; expected a TTL or a record type");
                }

                if (!field.IsWord("IN"))
                {
                    throw Error(field.Line, $"class '{field}' is not supported; only IN");
                }

                classSeen = true;
            }
            else
            {
                return ttl;
            }
        }
    }

    /// <summary>&lt;RDATA&gt;, typed as <see cref="ResourceRecord.Data"/> describes.</summary>
    private object ParseRdata(DnsRecordType type, ref int index) => type switch
    {
        DnsRecordType.A => ParseIPv4Address(NextField(ref index, type, "an IPv4 address")),
        DnsRecordType.AAAA => ParseIPv6Address(NextField(ref index, type, "an IPv6 address")),
        DnsRecordType.MX => new MxRecord(
            ParsePreference(NextField(ref index, type, "a preference")),
            ParseDomainName(NextField(ref index, type, "an exchange host name"))),
        DnsRecordType.TXT or DnsRecordType.SPF => ParseCharacterStrings(ref index, type),
        DnsRecordType.SOA => ParseSoaRdata(ref index),
        _ => ParseDomainName(NextField(ref index, type, "a domain name")),
    };

    /// <summary>An APL item (RFC 3123 §5): <c>[!]afi:address/prefix</c>, afi 1 for IPv4 and 2 for IPv6.</summary>
    private AplItem ParseAplItem(ZoneFileToken field)
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
        if (!Network.AddressPrefix.TryParse(text[(colon + 1)..].ToString(), out var network, out _) || (network.Family == System.Net.Sockets.AddressFamily.InterNetworkV6) != isIPv6)
        {
            throw Error(field.Line, $"APL record: '{field}' has a bad address or prefix length for address family {text[0]}");
        }

        return new AplItem(negated, network);
    }

    private static bool IsClass(ZoneFileToken field) =>
        field.IsWord("IN") || field.IsWord("CH") || field.IsWord("HS") || field.IsWord("CS") ||
        (!field.IsQuoted && field.Span.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)); // RFC 3597 §5

    /// <summary>&lt;type&gt;: one of the record types Vouch holds, by its mnemonic in any case.</summary>
    private DnsRecordType ParseType(ZoneFileToken field) =>
        field.IsWord("A") ? DnsRecordType.A :
        field.IsWord("AAAA") ? DnsRecordType.AAAA :
        field.IsWord("MX") ? DnsRecordType.MX :
        field.IsWord("TXT") ? DnsRecordType.TXT :
        field.IsWord("PTR") ? DnsRecordType.PTR :
        field.IsWord("CNAME") ? DnsRecordType.CNAME :
        field.IsWord("NS") ? DnsRecordType.NS :
        field.IsWord("SOA") ? DnsRecordType.SOA :
        field.IsWord("SPF") ? DnsRecordType.SPF :
        field.IsWord("APL") ? DnsRecordType.APL :
        throw Error(field.Line, $"unknown record type '{field}'; expected {SupportedTypes}");

    private ZoneFileToken NextField(ref int index, DnsRecordType type, string expected)
    {
        if (index == fields.Count)
        {
            throw Error(fields[^1].Line, $"{type} record: missing {expected} after '{fields[^1]}'");
        }

        return fields[index++];
    }

    /// <summary>SOA RDATA: <c>&lt;MNAME&gt; &lt;RNAME&gt; &lt;SERIAL&gt; &lt;REFRESH&gt; &lt;RETRY&gt; &lt;EXPIRE&gt; &lt;MINIMUM&gt;</c> (RFC 1035 §3.3.13).</summary>
    /// <remarks>REFRESH, RETRY and EXPIRE are checked but not kept: only secondaries use them.</remarks>
    private SoaRecord ParseSoaRdata(ref int index)
    {
        const DnsRecordType type = DnsRecordType.SOA;
        var primaryServer = ParseDomainName(NextField(ref index, type, "the primary name server (MNAME)"));
        var mailbox = ParseDomainName(NextField(ref index, type, "the responsible mailbox (RNAME)"));
        var serialField = NextField(ref index, type, "the serial number");
        if (serialField.IsQuoted || !uint.TryParse(serialField.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            throw Error(serialField.Line, $"SOA record: serial '{serialField}' is not a number from 0 to 4294967295");
        }

        ParseTtl(NextField(ref index, type, "the refresh time"), "SOA record: refresh");
        ParseTtl(NextField(ref index, type, "the retry time"), "SOA record: retry");
        ParseTtl(NextField(ref index, type, "the expire time"), "SOA record: expire");
        var minimum = ParseTtl(NextField(ref index, type, "the minimum TTL"), "SOA record: minimum");
        return new SoaRecord(primaryServer, mailbox, serial, TimeSpan.FromSeconds(minimum));
    }

    /// <summary>MX PREFERENCE: a 16-bit unsigned decimal number (RFC 1035 §3.3.9).</summary>
    private ushort ParsePreference(ZoneFileToken field)
    {
        if (field.IsQuoted || !ushort.TryParse(field.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var preference))
        {
            throw Error(field.Line, $"MX record: preference '{field}' is not a number from 0 to 65535");
        }

        return preference;
    }

    /// <summary>A RDATA: a dotted quad of decimal octets, each 0–255 without leading zeros (RFC 1035 §3.4.1).</summary>
    private IPAddress ParseIPv4Address(ZoneFileToken field)
    {
        // A leading zero is refused: some readers take it as octal.
        if (field.IsQuoted || !IPAddressText.TryParseIPv4(field.Span, out var address))
        {
            throw Error(field.Line, $"A record: '{field}' is not an IPv4 address");
        }

        return address!;
    }

    /// <summary>AAAA RDATA: an IPv6 address in RFC 4291 §2.2 text form, without a zone index or brackets (RFC 3596 §2.4).</summary>
    private IPAddress ParseIPv6Address(ZoneFileToken field)
    {
        if (field.IsQuoted || !IPAddressText.TryParseIPv6(field.Span, out var address))
        {
            throw Error(field.Line, $"AAAA record: '{field}' is not an IPv6 address");
        }

        return address!;
    }

    /// <summary>TXT and SPF RDATA: one or more &lt;character-string&gt;s, quoted or not, each kept apart (RFC 1035 §3.3.14).</summary>
    private TxtRecord ParseCharacterStrings(ref int index, DnsRecordType type)
    {
        if (index == fields.Count)
        {
            throw Error(fields[^1].Line, $"{type} record: missing a character-string after '{fields[^1]}'");
        }

        var strings = new string[fields.Count - index];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = ParseCharacterString(fields[index++], type);
        }

        return new TxtRecord(strings);
    }

    /// <summary>A &lt;character-string&gt; (RFC 1035 §5.1): escapes decoded, the octets read as UTF-8, at most 255 octets.</summary>
    private string ParseCharacterString(ZoneFileToken field, DnsRecordType type)
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
    private uint ParseTtl(ZoneFileToken field, string what)
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
    /// A &lt;domain-name&gt; (RFC 1035 §5.1): "@" for the origin, absolute when it ends with a dot,
    /// otherwise relative to the origin. The result is lower case, without the trailing dot, "" for the root.
    /// An escaped dot or backslash inside a label stays escaped ("\." and "\\") so the label boundaries survive.
    /// </summary>
    private string ParseDomainName(ZoneFileToken field)
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

    private void AddOrigin(string name)
    {
        if (!origins.Contains(name))
        {
            origins.Add(name);
        }
    }

    private ZoneFileException Error(int line, string problem) => new(fileName, line, problem);
}
