using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vouch.Dns.Wire;

/// <summary>
/// Asks a question again over TCP after a truncated UDP reply (RFC 1035 §4.2.2, RFC 7766 §5): one connection
/// per query, the query and its reply each framed by a two-octet length, the reply read by the same
/// <see cref="DnsReplyReader"/> as over UDP and taken only with the query's ID and question. A refused or reset
/// connection, a reply cut short, a zero length, a reply to another query, a malformed reply or one truncated
/// again gives a failure <see cref="DnsReply"/>; no reply within the server's time gives
/// <see cref="DnsReply.NoReply"/>. Only the caller's cancellation escapes, as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class TcpExchange
{
    /// <summary>The two-octet message length before each message on a TCP connection (RFC 1035 §4.2.2).</summary>
    private const int LengthOctets = 2;

    private readonly TimeSpan budget;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the exchange.</summary>
    /// <param name="budget">The most one exchange may take, connecting included: the server's time, as over UDP.</param>
    /// <param name="timeProvider">The clock of <paramref name="budget"/>.</param>
    public TcpExchange(TimeSpan budget, TimeProvider timeProvider)
    {
        this.budget = budget;
        this.timeProvider = timeProvider;
    }

    /// <summary>Sends <paramref name="query"/> to <paramref name="server"/> over a new TCP connection and reads the reply.</summary>
    /// <param name="server">The server that sent the truncated reply.</param>
    /// <param name="query">The query as sent over UDP; its ID is replaced by a fresh one in a copy.</param>
    /// <param name="questionLength">The length of the question section, which starts after the header.</param>
    /// <param name="cancellationToken">Stops the exchange.</param>
    /// <returns>The reply, a failure, or <see cref="DnsReply.NoReply"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DnsReply> ExchangeAsync(IPEndPoint server, ReadOnlyMemory<byte> query, int questionLength, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(budget, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        var framed = ArrayPool<byte>.Shared.Rent(LengthOctets + query.Length);
        byte[]? received = null;
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.Span.CopyTo(framed.AsSpan(LengthOctets));

            // RFC 5452 §4.3: an unpredictable ID of its own, not the UDP one.
            RandomNumberGenerator.Fill(framed.AsSpan(LengthOctets, 2));
            var id = BinaryPrimitives.ReadUInt16BigEndian(framed.AsSpan(LengthOctets));

            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server, linked.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);

            // RFC 7766 §8: the length and the message in one write, so they can leave in one segment.
            await stream.WriteAsync(framed.AsMemory(0, LengthOctets + query.Length), linked.Token).ConfigureAwait(false);
            var lengthField = framed.AsMemory(0, LengthOctets); // the query's prefix is sent: it takes the reply's length
            await stream.ReadExactlyAsync(lengthField, linked.Token).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadUInt16BigEndian(lengthField.Span);
            if (length == 0)
            {
                return DnsReply.Failure($"malformed reply: a message of length 0 over TCP from {server}");
            }

            received = ArrayPool<byte>.Shared.Rent(length);
            await stream.ReadExactlyAsync(received.AsMemory(0, length), linked.Token).ConfigureAwait(false);
            return Decode(received.AsSpan(0, length), id, framed.AsSpan(LengthOctets + DnsQueryWriter.HeaderLength, questionLength), server);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (expiry.IsCancellationRequested)
            {
                return DnsReply.NoReply;
            }

            // A short read is EndOfStreamException; a reset during a read is an IOException around a SocketException.
            var cause = exception.InnerException as SocketException ?? exception;
            return exception is EndOfStreamException
                ? DnsReply.Failure($"malformed reply: the TCP connection from {server} closed before the whole message came")
                : DnsReply.Failure($"{cause.GetType().Name}: {cause.Message} ({server} over TCP)");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(framed);
            if (received is not null)
            {
                ArrayPool<byte>.Shared.Return(received);
            }
        }
    }

    private static DnsReply Decode(ReadOnlySpan<byte> message, ushort id, ReadOnlySpan<byte> question, IPEndPoint server)
    {
        // RFC 7766 §7: replies on a connection are matched to queries by ID; and by question, as over UDP (RFC 5452 §9.1).
        if (message.Length < DnsQueryWriter.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(message) != id || !DnsReplyReader.IsReplyTo(message, question))
        {
            return DnsReply.Failure($"malformed reply: not a reply to the query (ID or question) over TCP from {server}");
        }

        var reply = DnsReplyReader.Read(message);

        // Truncated even over TCP: what came is not the whole answer.
        return reply.Truncated ? DnsReply.Failure($"malformed reply: truncated over TCP from {server}") : reply;
    }
}
