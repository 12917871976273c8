using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Vouch.Dns.Wire;

/// <summary>
/// Reads a DNS reply (RFC 1035 §4.1) for the resolver: the header, the question, the answer section and
/// the first SOA of the authority section. Every read is bounds-checked and compression pointers must
/// point backwards, so a hostile message can neither loop nor read outside itself; anything malformed
/// gives a failure <see cref="DnsReply"/>, never an exception. The additional section is not read. RDATA that
/// holds no names is decoded by <see cref="DnsRdataReader"/>.
/// </summary>
internal ref struct DnsReplyReader
{
    private const int HeaderLength = DnsQueryWriter.HeaderLength;

    /// <summary>The longest name in text: 255 octets, each at most 4 characters ("\DDD").</summary>
    private const int MaxNameChars = 4 * DnsQueryWriter.MaxNameOctets;

    private readonly ReadOnlySpan<byte> message;
    private int position;
    private string? questionName;

    private DnsReplyReader(ReadOnlySpan<byte> message)
    {
        this.message = message;
        position = HeaderLength;
    }

    /// <summary>
    /// True when <paramref name="message"/> is a response (QR set, standard query) with exactly one
    /// question equal to <paramref name="question"/> (the wire question as sent: name, type, class), the
    /// name compared without regard to ASCII case (RFC 5452 §9.1, RFC 4343). The ID is the caller's to match.
    /// </summary>
    public static bool IsReplyTo(ReadOnlySpan<byte> message, ReadOnlySpan<byte> question)
    {
        if (message.Length < HeaderLength + question.Length || (message[2] & 0x80) == 0 || (message[2] & 0x78) != 0 ||
            BinaryPrimitives.ReadUInt16BigEndian(message[4..]) != 1)
        {
            return false;
        }

        // The question is the first name of the message, so it cannot be compressed: the octets compare
        // directly. Length octets (at most 63) are never letters, so ignoring case touches only label text.
        var received = message.Slice(HeaderLength, question.Length);
        var nameLength = question.Length - 4;
        return Ascii.EqualsIgnoreCase(received[..nameLength], question[..nameLength]) && received[nameLength..].SequenceEqual(question[nameLength..]);
    }

    /// <summary>Reads a reply already matched to its query by <see cref="IsReplyTo"/> (over UDP or TCP); never throws.</summary>
    public static DnsReply Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
        {
            return Malformed("shorter than a DNS header", message.Length);
        }

        try
        {
            var reader = new DnsReplyReader(message);
            return reader.Read();
        }
        catch (Exception exception) when (exception is ArgumentException or IndexOutOfRangeException)
        {
            // Every bound is checked; should one slip, the reply is malformed, not a crash.
            return DnsReply.Failure($"malformed reply: {exception.Message}");
        }
    }

    private static DnsReply Malformed(string what, int offset) => DnsReply.Failure($"malformed reply: {what} at octet {offset}");

    private DnsReply Read()
    {
        var truncated = (message[2] & 0x02) != 0;
        var responseCode = message[3] & 0x0F;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authorities = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        for (var i = 0; i < questions; i++)
        {
            if (!TrySkipName() || !TrySkip(4))
            {
                return Malformed("question", position);
            }
        }

        // RFC 1035 §4.2.1 (and RFC 2181 §9): a truncated reply is asked again over TCP, not read.
        if (truncated)
        {
            return DnsReply.Truncation;
        }

        if (responseCode is not (0 or 3))
        {
            return DnsReply.Answer(responseCode, [], null);
        }

        var records = new List<DnsReplyRecord>(answers);
        for (var i = 0; i < answers; i++)
        {
            var start = position;
            if (!TryReadName(out var owner) || !TryReadRecordHeader(out var type, out var recordClass, out var ttl, out var dataLength))
            {
                return Malformed("answer record", start);
            }

            var dataEnd = position + dataLength;
            if (!TryReadData(type, dataEnd, out var data))
            {
                return Malformed($"RDATA of type {type}", start);
            }

            position = dataEnd;

            // Records of another class are no answer to an IN question.
            if (data is not null && recordClass == 1)
            {
                records.Add(new DnsReplyRecord(owner, (DnsRecordType)type, ttl, data));
            }
        }

        TimeSpan? negativeTtl = null;
        for (var i = 0; i < authorities; i++)
        {
            var start = position;
            if (!TrySkipName() || !TryReadRecordHeader(out var type, out _, out var ttl, out var dataLength))
            {
                return Malformed("authority record", start);
            }

            var dataEnd = position + dataLength;
            if (type == (ushort)DnsRecordType.SOA && negativeTtl is null)
            {
                // SOA RDATA (RFC 1035 §3.3.13): MNAME, RNAME, SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM.
                if (!TrySkipName() || !TrySkipName() || position + 20 != dataEnd)
                {
                    return Malformed("SOA record", start);
                }

                var minimum = Ttl(BinaryPrimitives.ReadUInt32BigEndian(message[(dataEnd - 4)..]));
                negativeTtl = ttl < minimum ? ttl : minimum; // RFC 2308 §5
            }

            position = dataEnd;
        }

        return DnsReply.Answer(responseCode, records, negativeTtl);
    }

    /// <summary>RFC 2181 §8: a TTL with the most significant bit set is treated as zero.</summary>
    private static TimeSpan Ttl(uint seconds) => seconds > int.MaxValue ? TimeSpan.Zero : TimeSpan.FromSeconds(seconds);

    /// <summary>TYPE, CLASS, TTL and RDLENGTH (RFC 1035 §4.1.3), with the RDATA inside the message.</summary>
    private bool TryReadRecordHeader(out ushort type, out ushort recordClass, out TimeSpan ttl, out int dataLength)
    {
        if (position + 10 > message.Length)
        {
            (type, recordClass, ttl, dataLength) = (0, 0, TimeSpan.Zero, 0);
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        recordClass = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
        ttl = Ttl(BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]));
        dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
        position += 10;
        return position + dataLength <= message.Length;
    }

    /// <summary>Decodes the RDATA at the position for the types the resolver asks for; the data must fill RDLENGTH exactly.</summary>
    private bool TryReadData(ushort type, int dataEnd, out object? data)
    {
        data = null;
        var rdata = message[position..dataEnd];
        switch ((DnsRecordType)type)
        {
            case DnsRecordType.A:
                data = rdata.Length == 4 ? new IPAddress(rdata) : null;
                return data is not null;
            case DnsRecordType.AAAA:
                data = rdata.Length == 16 ? new IPAddress(rdata) : null;
                return data is not null;
            case DnsRecordType.CNAME:
            case DnsRecordType.PTR:
                if (!TryReadName(out var host))
                {
                    return false;
                }

                data = host;
                return position == dataEnd;
            case DnsRecordType.MX:
                if (rdata.Length < 3)
                {
                    return false;
                }

                var preference = BinaryPrimitives.ReadUInt16BigEndian(rdata);
                position += 2;
                if (!TryReadName(out var exchange))
                {
                    return false;
                }

                data = new MxRecord(preference, exchange);
                return position == dataEnd;
            case DnsRecordType.TXT:
                data = DnsRdataReader.ReadTxt(rdata);
                return data is not null;
            case DnsRecordType.APL:
                // A malformed APL record is skipped (null), as before, rather than failing the reply.
                data = DnsRdataReader.ReadAplItems(rdata);
                return true;
            default:
                return true;
        }
    }

    private bool TrySkip(int count)
    {
        if (position + count > message.Length)
        {
            return false;
        }

        position += count;
        return true;
    }

    /// <summary>Moves past a name (labels ending in a zero octet or a pointer) without reading it.</summary>
    private bool TrySkipName()
    {
        var octets = 0;
        while (position < message.Length)
        {
            var length = message[position];
            if (length == 0)
            {
                position++;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return TrySkip(2);
            }

            octets += length + 1;
            if ((length & 0xC0) != 0 || octets >= DnsQueryWriter.MaxNameOctets || !TrySkip(1 + length))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads a name (RFC 1035 §3.1, §4.1.4) as DnsClient gave it: labels joined by dots, octets outside
    /// printable ASCII as "\DDD", and ';', '\' and '"' escaped; then lower-cased (ASCII only) without the
    /// trailing dot, as <see cref="DnsName.Normalize"/> does. Each compression pointer must point before
    /// itself, so reading ends; the name may not exceed 255 octets.
    /// </summary>
    private bool TryReadName(out string name)
    {
        var at = position;
        if (at > HeaderLength && at + 1 < message.Length && message[at] == 0xC0 && message[at + 1] == HeaderLength)
        {
            // The usual owner: a pointer to the question's name, read once.
            if (questionName is null)
            {
                position = HeaderLength;
                if (!TryReadLabels(out var question))
                {
                    name = "";
                    return false;
                }

                questionName = question;
            }

            position = at + 2;
            name = questionName;
            return true;
        }

        return TryReadLabels(out name);
    }

    private bool TryReadLabels(out string name)
    {
        name = "";
        Span<char> text = stackalloc char[MaxNameChars];
        var at = position;
        var length = 0;
        var octets = 0;
        var jumped = false;
        while (true)
        {
            if (at >= message.Length)
            {
                return false;
            }

            var labelLength = message[at];
            if (labelLength == 0)
            {
                if (!jumped)
                {
                    position = at + 1;
                }

                break;
            }

            if ((labelLength & 0xC0) == 0xC0)
            {
                if (at + 1 >= message.Length)
                {
                    return false;
                }

                var target = ((labelLength & 0x3F) << 8) | message[at + 1];
                if (target >= at)
                {
                    return false;
                }

                if (!jumped)
                {
                    position = at + 2;
                    jumped = true;
                }

                at = target;
                continue;
            }

            // 0x40 and 0x80 are extended label types (RFC 6891 §5 leaves them unused).
            octets += 1 + labelLength;
            if ((labelLength & 0xC0) != 0 || octets + 1 > DnsQueryWriter.MaxNameOctets || at + 1 + labelLength > message.Length)
            {
                return false;
            }

            foreach (var octet in message.Slice(at + 1, labelLength))
            {
                length = Append(text, length, octet);
            }

            text[length++] = '.';
            at += 1 + labelLength;
        }

        name = length == 0 ? "" : new string(text[..(length - 1)]);
        return true;
    }

    private static int Append(Span<char> text, int length, byte octet)
    {
        if (octet < 32 || octet > 126)
        {
            text[length++] = '\\';
            text[length++] = (char)('0' + (octet / 100));
            text[length++] = (char)('0' + (octet / 10 % 10));
            text[length++] = (char)('0' + (octet % 10));
            return length;
        }

        var c = (char)octet;
        if (c is ';' or '\\' or '"')
        {
            text[length++] = '\\';
        }

        text[length++] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
        return length;
    }
}
