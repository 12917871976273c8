using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Vouch.MilterLoad;

/// <summary>
/// The MTA's end of one milter connection: builds packets (a 4-byte big-endian length counting the command
/// byte, the command, the data) into a reused send buffer and sends them, one write per packet as Postfix
/// does or in one write up to the next awaited reply; reads the server's packets from a reused receive
/// buffer. The buffers are kept from one connection to the next.
/// </summary>
internal sealed class MilterChannel(bool writePerPacket)
{
    private byte[] send = new byte[4096];
    private int sendLength;
    private int packetStart = -1;
    private byte[] receive = new byte[8192];
    private int receiveStart;
    private int receiveEnd;
    private Socket? socket;

    /// <summary>Bytes written to the server over this channel's life.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Uses <paramref name="connected"/> from now on, with empty buffers.</summary>
    public void Attach(Socket connected)
    {
        socket = connected;
        sendLength = 0;
        packetStart = -1;
        receiveStart = 0;
        receiveEnd = 0;
    }

    /// <summary>Starts a packet of <paramref name="command"/>; the data follows with the Append methods.</summary>
    public void Begin(byte command)
    {
        packetStart = sendLength;
        Reserve(5);
        sendLength += 4;
        send[sendLength++] = command;
    }

    /// <summary>Appends a big-endian 32-bit number.</summary>
    public void AppendUInt32(uint value)
    {
        Reserve(4);
        BinaryPrimitives.WriteUInt32BigEndian(send.AsSpan(sendLength), value);
        sendLength += 4;
    }

    /// <summary>Appends a big-endian 16-bit number.</summary>
    public void AppendUInt16(ushort value)
    {
        Reserve(2);
        BinaryPrimitives.WriteUInt16BigEndian(send.AsSpan(sendLength), value);
        sendLength += 2;
    }

    /// <summary>Appends one byte.</summary>
    public void AppendByte(byte value)
    {
        Reserve(1);
        send[sendLength++] = value;
    }

    /// <summary>Appends <paramref name="text"/> as UTF-8 and its NUL.</summary>
    public void AppendString(string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
        sendLength += Encoding.UTF8.GetBytes(text, send.AsSpan(sendLength));
        send[sendLength++] = 0;
    }

    /// <summary>Appends <paramref name="text"/> as UTF-8 without a NUL (a body chunk).</summary>
    public void AppendStringWithoutNul(string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        sendLength += Encoding.UTF8.GetBytes(text, send.AsSpan(sendLength));
    }

    /// <summary>Ends the packet begun last (writes its length) and, writing per packet, sends it.</summary>
    public ValueTask EndAsync(CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteUInt32BigEndian(send.AsSpan(packetStart), (uint)(sendLength - packetStart - 4));
        packetStart = -1;
        return writePerPacket ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Sends every packet ended so far.</summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < sendLength)
        {
            sent += await socket!.SendAsync(send.AsMemory(sent, sendLength - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        BytesSent += sendLength;
        sendLength = 0;
    }

    /// <summary>The server's next packet: its command and data, valid until the next read.</summary>
    /// <exception cref="IOException">The server closed the connection, or sent a length of 0 or over 16 MiB.</exception>
    public async ValueTask<(byte Command, ReadOnlyMemory<byte> Data)> ReadAsync(CancellationToken cancellationToken)
    {
        await FillAsync(4, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt32BigEndian(receive.AsSpan(receiveStart));
        if (length is 0 or > 16 * 1024 * 1024)
        {
            throw new IOException($"the server sent a packet length of {length}");
        }

        await FillAsync(4 + (int)length, cancellationToken).ConfigureAwait(false);
        var command = receive[receiveStart + 4];
        var data = new ReadOnlyMemory<byte>(receive, receiveStart + 5, (int)length - 1);
        receiveStart += 4 + (int)length;
        return (command, data);
    }

    /// <summary>Reads until the server closes the connection; the number of bytes it sent before that (0 when it sent nothing more).</summary>
    public async ValueTask<int> DrainAsync(CancellationToken cancellationToken)
    {
        var extra = receiveEnd - receiveStart;
        receiveStart = receiveEnd = 0;
        while (true)
        {
            var read = await socket!.ReceiveAsync(receive.AsMemory(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return extra;
            }

            extra += read;
        }
    }

    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (receiveEnd - receiveStart >= count)
        {
            return;
        }

        if (receive.Length - receiveStart < count)
        {
            var target = receive.Length >= count ? receive : new byte[Math.Max(count, 2 * receive.Length)];
            Buffer.BlockCopy(receive, receiveStart, target, 0, receiveEnd - receiveStart);
            receiveEnd -= receiveStart;
            receiveStart = 0;
            receive = target;
        }

        while (receiveEnd - receiveStart < count)
        {
            var read = await socket!.ReceiveAsync(receive.AsMemory(receiveEnd), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException(receiveEnd == receiveStart ? "the server closed the connection" : "the server closed the connection inside a packet");
            }

            receiveEnd += read;
        }
    }

    private void Reserve(int bytes)
    {
        if (send.Length - sendLength < bytes)
        {
            Array.Resize(ref send, Math.Max(send.Length * 2, sendLength + bytes));
        }
    }
}
