using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Vouch.Server.Milter;

/// <summary>
/// Collects the milter's packets for one answer (header changes, then the reply) and sends them in one write.
/// Strings go out as UTF-8 with their NUL.
/// </summary>
/// <param name="stream">The MTA's connection.</param>
public sealed class MilterPacketWriter(Stream stream)
{
    private readonly Stream stream = stream ?? throw new ArgumentNullException(nameof(stream));
    private readonly ArrayBufferWriter<byte> pending = new(256);

    /// <summary>A reply without data: continue, accept, reject, tempfail, progress, skip.</summary>
    public void Add(MilterResponse response) => Packet(response, 0);

    /// <summary>SMFIR_REPLYCODE with <paramref name="reply"/> ("550 5.7.1 text"), every '%' doubled: Sendmail reads it as a format, Postfix turns "%%" into "%".</summary>
    public void AddReplyCode(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = reply.Replace("%", "%%", StringComparison.Ordinal);
        var span = Packet(MilterResponse.ReplyCode, Encoding.UTF8.GetByteCount(text) + 1);
        Encoding.UTF8.GetBytes(text, span);
        span[^1] = 0;
    }

    /// <summary>SMFIR_INSHEADER: <paramref name="name"/>: <paramref name="value"/> at <paramref name="index"/> (0: above the MTA's own Received:).</summary>
    public void AddInsertHeader(uint index, string name, string value) => HeaderPacket(MilterResponse.InsertHeader, index, name, value);

    /// <summary>SMFIR_CHGHEADER: the <paramref name="index"/>-th (from 1) field named <paramref name="name"/> as the milter saw them gets <paramref name="value"/>; "" deletes it.</summary>
    public void AddChangeHeader(uint index, string name, string value) => HeaderPacket(MilterResponse.ChangeHeader, index, name, value);

    /// <summary>The negotiation reply: version, actions, protocol options, then for each stage the macro names, separated by spaces.</summary>
    public void AddNegotiation(MilterNegotiation negotiation)
    {
        ArgumentNullException.ThrowIfNull(negotiation);
        var size = 12;
        foreach (var (_, names) in negotiation.Macros)
        {
            size += 4 + Encoding.ASCII.GetByteCount(names) + 1;
        }

        var span = Packet(MilterResponse.Negotiate, size);
        BinaryPrimitives.WriteUInt32BigEndian(span, negotiation.Version);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)negotiation.Actions);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)negotiation.Protocol);
        var at = 12;
        foreach (var (stage, names) in negotiation.Macros)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)stage);
            at += 4;
            at += Encoding.ASCII.GetBytes(names, span[at..]);
            span[at++] = 0;
        }
    }

    /// <summary>Whether anything waits to be sent.</summary>
    public bool HasPending => pending.WrittenCount > 0;

    /// <summary>Sends what was added, in one write.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (pending.WrittenCount == 0)
        {
            return;
        }

        await stream.WriteAsync(pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        pending.ResetWrittenCount();
    }

    private void HeaderPacket(MilterResponse response, uint index, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var span = Packet(response, 4 + Encoding.UTF8.GetByteCount(name) + 1 + Encoding.UTF8.GetByteCount(value) + 1);
        BinaryPrimitives.WriteUInt32BigEndian(span, index);
        var at = 4 + Encoding.UTF8.GetBytes(name, span[4..]);
        span[at++] = 0;
        at += Encoding.UTF8.GetBytes(value, span[at..]);
        span[at] = 0;
    }

    /// <summary>Writes the length and command of a packet with <paramref name="dataLength"/> bytes of data; returns the span for the data.</summary>
    private Span<byte> Packet(MilterResponse response, int dataLength)
    {
        var span = pending.GetSpan(5 + dataLength)[..(5 + dataLength)];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(dataLength + 1));
        span[4] = (byte)response;
        pending.Advance(5 + dataLength);
        return span[5..];
    }
}
