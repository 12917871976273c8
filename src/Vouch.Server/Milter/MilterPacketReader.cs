using System.Buffers.Binary;

namespace Vouch.Server.Milter;

/// <summary>
/// Reads milter packets from a stream: a 4-byte big-endian length that counts the command byte, the command,
/// the data. One read may hold several packets and one packet may span reads. A length of 0 or above the cap
/// is a protocol error.
/// </summary>
/// <param name="stream">The MTA's connection.</param>
/// <param name="maxPacketBytes">The largest length accepted.</param>
public sealed class MilterPacketReader(Stream stream, int maxPacketBytes)
{
    private readonly Stream stream = stream ?? throw new ArgumentNullException(nameof(stream));
    private byte[] buffer = new byte[8192];
    private int start;
    private int end;

    /// <summary>The next packet, or null when the MTA closed the connection between packets.</summary>
    /// <exception cref="MilterProtocolException">A length out of range, or the connection closed inside a packet.</exception>
    public async ValueTask<MilterPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(4, cancellationToken).ConfigureAwait(false))
        {
            return end == start ? null : throw new MilterProtocolException("the connection closed inside a packet's length");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(start, 4));
        if (length == 0 || length > (uint)maxPacketBytes)
        {
            throw new MilterProtocolException(length == 0 ? "a packet of length 0 (no command)" : $"a packet of {length} bytes, over the limit of {maxPacketBytes} ([milter] max_packet_bytes)");
        }

        if (!await FillAsync(4 + (int)length, cancellationToken).ConfigureAwait(false))
        {
            throw new MilterProtocolException($"the connection closed inside a packet of {length} bytes");
        }

        var command = (MilterCommand)buffer[start + 4];
        var data = new ReadOnlyMemory<byte>(buffer, start + 5, (int)length - 1);
        start += 4 + (int)length;
        return new MilterPacket(command, data);
    }

    /// <summary>Makes <paramref name="count"/> bytes available from <see cref="start"/>; false when the stream ends first.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (end - start >= count)
        {
            return true;
        }

        if (buffer.Length - start < count)
        {
            // Move what is left to the front, growing the buffer for a large packet.
            var target = buffer.Length >= count ? buffer : new byte[Math.Max(count, 2 * buffer.Length)];
            Buffer.BlockCopy(buffer, start, target, 0, end - start);
            end -= start;
            start = 0;
            buffer = target;
        }

        while (end - start < count)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            end += read;
        }

        return true;
    }
}
