using System.Globalization;

namespace Vouch.Dns.Zones;

/// <summary>
/// The grammar of RFC 1035 §5.1 master files, applied to the entries a <see cref="ZoneFileTokenizer"/>
/// yields; each field is read by a <see cref="ZoneFileFieldParser"/>. One instance reads one file: it holds
/// the current origin, the last owner and the TTL defaults.
/// </summary>
internal sealed class ZoneFileReader
{
    private const uint DefaultTtlSeconds = 3600;

    private const string SupportedTypes = "A, AAAA, APL, CNAME, MX, NS, PTR, SOA, SPF or TXT";

    private readonly ZoneFileTokenizer tokenizer;
    private readonly ZoneFileFieldParser fieldParser;
    private readonly List<ZoneFileToken> fields = [];
    private readonly List<ResourceRecord> records = [];
    private readonly List<string> origins = [];
    private string? origin;
    private string? previousOwner;
    private uint? directiveTtl;
    private uint? previousTtl;

    /// <summary>Prepares to read <paramref name="text"/>; <paramref name="defaultOrigin"/> (normalized) is the origin before any $ORIGIN.</summary>
    public ZoneFileReader(string text, string fileName, string? defaultOrigin)
    {
        tokenizer = new ZoneFileTokenizer(text, fileName);
        fieldParser = new ZoneFileFieldParser(fileName);
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
            origin = fieldParser.ParseDomainName(SingleArgument("$ORIGIN", "a domain name"), origin);
            AddOrigin(origin);
        }
        else if (directive.IsWord("$TTL"))
        {
            directiveTtl = fieldParser.ParseTtl(SingleArgument("$TTL", "a TTL"), "TTL");
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
            : fieldParser.ParseDomainName(fields[index++], origin);
        var ttl = ParseTtlAndClass(ref index);
        var type = ParseType(fields[index++]);
        if (type == DnsRecordType.APL)
        {
            // One record per APL item: the resolver answers with the items of all the name's APL records.
            var aplSeconds = ttl ?? directiveTtl ?? previousTtl ?? DefaultTtlSeconds;
            while (index < fields.Count)
            {
                records.Add(new ResourceRecord(owner, type, TimeSpan.FromSeconds(aplSeconds), fieldParser.ParseAplItem(fields[index++])));
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

                ttl = fieldParser.ParseTtl(field, "TTL");
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
        DnsRecordType.A => fieldParser.ParseIPv4Address(NextField(ref index, type, "an IPv4 address")),
        DnsRecordType.AAAA => fieldParser.ParseIPv6Address(NextField(ref index, type, "an IPv6 address")),
        DnsRecordType.MX => new MxRecord(
            fieldParser.ParsePreference(NextField(ref index, type, "a preference")),
            fieldParser.ParseDomainName(NextField(ref index, type, "an exchange host name"), origin)),
        DnsRecordType.TXT or DnsRecordType.SPF => ParseCharacterStrings(ref index, type),
        DnsRecordType.SOA => ParseSoaRdata(ref index),
        _ => fieldParser.ParseDomainName(NextField(ref index, type, "a domain name"), origin),
    };

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
        var primaryServer = fieldParser.ParseDomainName(NextField(ref index, type, "the primary name server (MNAME)"), origin);
        var mailbox = fieldParser.ParseDomainName(NextField(ref index, type, "the responsible mailbox (RNAME)"), origin);
        var serialField = NextField(ref index, type, "the serial number");
        if (serialField.IsQuoted || !uint.TryParse(serialField.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            throw Error(serialField.Line, $"SOA record: serial '{serialField}' is not a number from 0 to 4294967295");
        }

        fieldParser.ParseTtl(NextField(ref index, type, "the refresh time"), "SOA record: refresh");
        fieldParser.ParseTtl(NextField(ref index, type, "the retry time"), "SOA record: retry");
        fieldParser.ParseTtl(NextField(ref index, type, "the expire time"), "SOA record: expire");
        var minimum = fieldParser.ParseTtl(NextField(ref index, type, "the minimum TTL"), "SOA record: minimum");
        return new SoaRecord(primaryServer, mailbox, serial, TimeSpan.FromSeconds(minimum));
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
            strings[i] = fieldParser.ParseCharacterString(fields[index++], type);
        }

        return new TxtRecord(strings);
    }

    private void AddOrigin(string name)
    {
        if (!origins.Contains(name))
        {
            origins.Add(name);
        }
    }

    private ZoneFileException Error(int line, string problem) => fieldParser.Error(line, problem);
}
