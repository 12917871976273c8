using System.Buffers.Binary;
using System.Text;

namespace Vouch.MilterLoad;

/// <summary>
/// The server's answer to SMFIC_OPTNEG: the version, the actions and protocol options it took, and the macro
/// names it asked for per stage (SMFIF_SETSYMLIST). The client sends and awaits exactly what these say, as
/// Postfix does.
/// </summary>
/// <param name="Version">The protocol version the server speaks.</param>
/// <param name="Actions">The actions (SMFIF_*) the server may take.</param>
/// <param name="Protocol">The events it does not want and those it does not answer.</param>
/// <param name="Macros">Macro names asked for, by stage number (SMFIM_*); a stage not listed gets Postfix's default names.</param>
internal sealed record ServerNegotiation(uint Version, uint Actions, ProtocolFlags Protocol, IReadOnlyDictionary<uint, string[]> Macros)
{
    /// <summary>Reads the data of an 'O' reply.</summary>
    /// <exception cref="IOException">Fewer than 12 bytes.</exception>
    public static ServerNegotiation Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12)
        {
            throw new IOException($"a negotiation reply of {data.Length} bytes; expected at least 12");
        }

        var macros = new Dictionary<uint, string[]>();
        var rest = data[12..];
        while (rest.Length >= 4)
        {
            var stage = BinaryPrimitives.ReadUInt32BigEndian(rest);
            rest = rest[4..];
            var nul = rest.IndexOf((byte)0);
            var names = Encoding.ASCII.GetString(nul < 0 ? rest : rest[..nul]);
            macros[stage] = names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            rest = nul < 0 ? [] : rest[(nul + 1)..];
        }

        return new ServerNegotiation(
            BinaryPrimitives.ReadUInt32BigEndian(data),
            BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            (ProtocolFlags)BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            macros);
    }

    /// <summary>Whether the event that <paramref name="skip"/> names is not to be sent.</summary>
    public bool Skips(ProtocolFlags skip) => (Protocol & skip) != 0;

    /// <summary>Whether the event whose no-reply flag is <paramref name="noReply"/> is answered.</summary>
    public bool Answers(ProtocolFlags noReply) => (Protocol & noReply) == 0;
}
