using System.Buffers.Binary;
using System.Globalization;

namespace Vouch.Dns.Wire;

/// <summary>
/// Writes a DNS query message (RFC 1035 §4.1): a header with RD set, one question of class IN, and an
/// EDNS0 OPT record offering a UDP payload size (RFC 6891 §6.1.2). The message ID is left zero: the
/// socket that sends the query writes it.
/// </summary>
internal static class DnsQueryWriter
{
    /// <summary>The length of the message header (RFC 1035 §4.1.1).</summary>
    public const int HeaderLength = 12;

    /// <summary>The longest name on the wire, length octets and the root's zero included (RFC 1035 §3.1).</summary>
    public const int MaxNameOctets = 255;

    /// <summary>The longest label (RFC 1035 §2.3.4): one octet per character once the name is ASCII.</summary>
    public const int MaxLabelOctets = DnsName.MaxLabelLength;

    /// <summary>The OPT record: root name (1), TYPE, CLASS (2 each), TTL (4), RDLENGTH (2).</summary>
    private const int OptRecordLength = 11;

    /// <summary>The longest query this writer produces: a buffer this long always suffices.</summary>
    public const int MaxQueryLength = HeaderLength + MaxNameOctets + 4 + OptRecordLength;

    private const ushort ClassIn = 1;
    private const ushort TypeOpt = 41;

    /// <summary>
    /// Writes the query for <paramref name="name"/> (text without the trailing dot; "" is the root) into
    /// <paramref name="destination"/> (at least <see cref="MaxQueryLength"/> octets). Names are sent as
    /// DnsClient sent them: letters, digits, '-' and '_' as they are; any other character makes the whole
    /// name go through IDNA (ToASCII). A name with an empty label, a label over 63 octets or more than 255
    /// octets in all is refused.
    /// </summary>
    /// <param name="destination">Where the message is written.</param>
    /// <param name="name">The name asked for, as <see cref="DnsName.Normalize"/> gives it.</param>
    /// <param name="type">The record type asked for.</param>
    /// <param name="udpPayloadSize">The UDP payload size offered in the OPT record (at least 512 is written).</param>
    /// <param name="length">The length of the message written.</param>
    /// <param name="questionLength">The length of the question (name, type, class), which starts at <see cref="HeaderLength"/>.</param>
    /// <param name="problem">Why the name cannot be sent, when the result is false.</param>
    /// <returns>True when the query was written.</returns>
    public static bool TryWrite(Span<byte> destination, string name, ushort type, int udpPayloadSize, out int length, out int questionLength, out string? problem)
    {
        length = 0;
        questionLength = 0;
        if (!TryWriteName(destination[HeaderLength..], name, out var nameLength, out problem))
        {
            return false;
        }

        destination[..HeaderLength].Clear();
        destination[2] = 0x01; // RD (RFC 1035 §4.1.1); QR, opcode, AA, TC, RA, Z and RCODE stay zero.
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], 1); // ARCOUNT: the OPT record

        var position = HeaderLength + nameLength;
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], ClassIn);
        position += 4;
        questionLength = position - HeaderLength;

        // RFC 6891 §6.1.2: root owner, TYPE 41, CLASS = the requestor's UDP payload size, TTL = extended
        // RCODE 0, version 0, DO clear; no options. §6.2.5: values below 512 are treated as 512.
        destination[position] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 1)..], TypeOpt);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 3)..], (ushort)Math.Clamp(udpPayloadSize, 512, ushort.MaxValue));
        destination.Slice(position + 5, 6).Clear();
        length = position + OptRecordLength;
        return true;
    }

    private static bool TryWriteName(Span<byte> destination, string name, out int length, out string? problem)
    {
        length = 0;
        var text = name;
        foreach (var c in name)
        {
            if (!(c == '.' || c == '-' || c == '_' || char.IsAsciiLetterOrDigit(c)))
            {
                try
                {
                    text = new IdnMapping().GetAscii(name);
                }
                catch (ArgumentException)
                {
                    problem = $"'{name}' is not a valid hostname.";
                    return false;
                }

                break;
            }
        }

        var end = text.Length;
        var position = 0;
        var labelStart = 0;
        for (var i = 0; i <= end && end > 0; i++)
        {
            if (i < end && text[i] != '.')
            {
                continue;
            }

            var labelLength = i - labelStart;
            if (labelLength == 0)
            {
                problem = $"'{name}' has an empty label.";
                return false;
            }

            if (labelLength > MaxLabelOctets)
            {
                problem = $"Label '{text[labelStart..i]}' of '{name}' is longer than {MaxLabelOctets} bytes.";
                return false;
            }

            if (position + 1 + labelLength + 1 > MaxNameOctets)
            {
                problem = $"Octet length of '{name}' exceeds maximum of {MaxNameOctets} bytes.";
                return false;
            }

            destination[position++] = (byte)labelLength;
            for (var j = labelStart; j < i; j++)
            {
                // IDNA output and the characters allowed above are all ASCII.
                destination[position++] = (byte)text[j];
            }

            labelStart = i + 1;
        }

        destination[position++] = 0;
        length = position;
        problem = null;
        return true;
    }
}
