using System.Buffers.Binary;
using System.Text;

namespace Vouch.Tests.Support;

/// <summary>Builds DNS messages octet by octet for tests, including wrong and malformed ones.</summary>
internal sealed class DnsMessageBuilder
{
    private readonly List<byte> bytes = [];

    /// <summary>A reply to <paramref name="query"/>: its ID (unless <paramref name="id"/>), QR and RD set, <paramref name="flags"/> added, its question echoed, and the given counts.</summary>
    public static DnsMessageBuilder ReplyTo(byte[] query, ushort answers = 0, ushort authorities = 0, int rcode = 0, bool truncated = false, ushort? id = null) =>
        new DnsMessageBuilder()
            .UInt16(id ?? BinaryPrimitives.ReadUInt16BigEndian(query))
            .Raw((byte)(0x81 | (truncated ? 0x02 : 0)), (byte)(0x80 | rcode))
            .UInt16(1).UInt16(answers).UInt16(authorities).UInt16(0)
            .Raw(QuestionOf(query));

    /// <summary>The question section of <paramref name="query"/> (name, type, class), as sent.</summary>
    public static byte[] QuestionOf(byte[] query)
    {
        var end = 12;
        while (query[end] != 0)
        {
            end += 1 + query[end];
        }

        return query[12..(end + 5)];
    }

    /// <summary>The name asked in <paramref name="query"/>, as dotted text.</summary>
    public static string NameOf(byte[] query)
    {
        var labels = new List<string>();
        for (var at = 12; query[at] != 0; at += 1 + query[at])
        {
            labels.Add(Encoding.ASCII.GetString(query, at + 1, query[at]));
        }

        return string.Join('.', labels);
    }

    /// <summary>The type asked in <paramref name="query"/>.</summary>
    public static ushort TypeOf(byte[] query)
    {
        var question = QuestionOf(query);
        return BinaryPrimitives.ReadUInt16BigEndian(question.AsSpan(question.Length - 4));
    }

    /// <summary>A name in wire form, uncompressed.</summary>
    public static byte[] Name(string name)
    {
        var result = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            result.Add((byte)label.Length);
            result.AddRange(Encoding.ASCII.GetBytes(label));
        }

        result.Add(0);
        return [.. result];
    }

    public DnsMessageBuilder Raw(params byte[] data)
    {
        bytes.AddRange(data);
        return this;
    }

    public DnsMessageBuilder UInt16(int value) => Raw((byte)(value >> 8), (byte)value);

    public DnsMessageBuilder UInt32(uint value) => Raw((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);

    /// <summary>A resource record: owner (wire form; 0xC0 0x0C points at the question), type, class IN, TTL, RDATA.</summary>
    public DnsMessageBuilder Record(byte[] owner, int type, uint ttl, byte[] data, int recordClass = 1) =>
        Raw(owner).UInt16(type).UInt16(recordClass).UInt32(ttl).UInt16(data.Length).Raw(data);

    /// <summary>An A record owned by the question's name.</summary>
    public DnsMessageBuilder A(string address, uint ttl = 300) =>
        Record([0xC0, 0x0C], 1, ttl, System.Net.IPAddress.Parse(address).GetAddressBytes());

    /// <summary>TXT RDATA of the given character-strings.</summary>
    public static byte[] Txt(params string[] strings)
    {
        var data = new List<byte>();
        foreach (var text in strings)
        {
            var octets = Encoding.UTF8.GetBytes(text);
            data.Add((byte)octets.Length);
            data.AddRange(octets);
        }

        return [.. data];
    }

    public byte[] ToArray() => [.. bytes];
}
