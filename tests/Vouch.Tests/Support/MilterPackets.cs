using System.Buffers.Binary;
using System.Text;
using Vouch.Server.Milter;

namespace Vouch.Tests.Support;

/// <summary>The MTA's side of the milter protocol for tests: packets as Postfix writes them, and the milter's replies read back.</summary>
internal static class MilterPackets
{
    public const uint PostfixActions = 0x1FF;
    public const uint PostfixProtocol = 0x1FFFFF;

    public static byte[] Packet(char command, params byte[][] parts)
    {
        var data = parts.SelectMany(part => part).ToArray();
        var packet = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(data.Length + 1));
        packet[4] = (byte)command;
        data.CopyTo(packet, 5);
        return packet;
    }

    public static byte[] Text(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    public static byte[] Negotiate(uint version = 6, uint actions = PostfixActions, uint protocol = PostfixProtocol)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(data, version);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), actions);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), protocol);
        return Packet('O', data);
    }

    public static byte[] Macros(char stage, params string[] namesAndValues) =>
        Packet('D', [(byte)stage], [.. namesAndValues.SelectMany(Text)]);

    public static byte[] Connect(string hostName, string address, char family = '4', ushort port = 50123)
    {
        var portBytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(portBytes, port);
        return family == 'U' ? Packet('C', Text(hostName), [(byte)'U']) : Packet('C', Text(hostName), [(byte)family], portBytes, Text(address));
    }

    public static byte[] Helo(string name) => Packet('H', Text(name));

    public static byte[] Mail(string sender) => Packet('M', Text(sender), Text("BODY=8BITMIME"));

    public static byte[] Recipient(string recipient) => Packet('R', Text(recipient));

    public static byte[] Header(string name, string value) => Packet('L', Text(name), Text(value));

    public static byte[] Simple(char command) => Packet(command);

    /// <summary>A whole Postfix transaction up to the end of the message, with the given headers, then the two aborts Postfix sends.</summary>
    public static byte[] Transaction(string client, string helo, string sender, IEnumerable<(string Name, string Value)> headers, params byte[][] mailMacros) =>
    [
        .. Macros('C', "j", "mx.receiver.example", "{daemon_name}", "mx.receiver.example"),
        .. Connect("unknown", client),
        .. Helo(helo),
        .. mailMacros.SelectMany(packet => packet),
        .. Mail(sender),
        .. Macros('R', "i", "4XyZ1"),
        .. Recipient("<bob@receiver.example>"),
        .. headers.SelectMany(header => Header(header.Name, header.Value)),
        .. Simple('N'),
        .. Simple('E'),
        .. Simple('A'),
        .. Simple('A'),
    ];

    /// <summary>The milter's reply packets, in order, each as its command and data.</summary>
    public static List<(char Command, byte[] Data)> Replies(ReadOnlySpan<byte> stream)
    {
        var replies = new List<(char, byte[])>();
        while (stream.Length >= 5)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(stream);
            replies.Add(((char)stream[4], stream.Slice(5, length - 1).ToArray()));
            stream = stream[(4 + length)..];
        }

        Assert.True(stream.IsEmpty, "a reply packet was cut short");
        return replies;
    }

    /// <summary>A header change: its index, name and value.</summary>
    public static (uint Index, string Name, string Value) HeaderChange(byte[] data)
    {
        var strings = MilterData.Strings(data.AsSpan(4));
        return (BinaryPrimitives.ReadUInt32BigEndian(data), strings[0], strings.Count > 1 ? strings[1] : "");
    }
}
