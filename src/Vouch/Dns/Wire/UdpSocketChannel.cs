using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vouch.Dns.Wire;

/// <summary>
/// One UDP socket connected to one DNS server, bound to its own ephemeral port (the kernel picks it at
/// random), and kept open until it is retired. Queries register under a random message ID unique among those
/// pending on the socket; one receive loop hands each reply to the query whose ID and question it carries.
/// The connected socket only receives datagrams from the server's address and port (RFC 5452 §9.1); anything
/// else is ignored and the query keeps waiting. A retired socket takes no new queries and closes once its
/// pending ones are done (RFC 5452 §10: the source port changes over time without losing a query).
/// </summary>
internal sealed class UdpSocketChannel : IAsyncDisposable
{
    /// <summary>Bounds the queries pending on one socket, far below the 65,536 IDs so a free one is found at once.</summary>
    private const int MaxPending = 16_384;

    /// <summary>The kernel's receive buffer asked for (Linux caps it at net.core.rmem_max): a burst of replies must not be dropped.</summary>
    private const int SocketReceiveBufferSize = 1 << 20;

    private readonly Socket socket;
    private readonly string server;
    private readonly TimeProvider timeProvider;
    private readonly byte[] receiveBuffer;
    private readonly Lock gate = new();
    private readonly Dictionary<ushort, PendingQuery> pending = [];
    private readonly byte[] randomIds = new byte[512];
    private readonly Task receiving;
    private int nextRandomId;
    private int registered;
    private bool retired;
    private string? closedReason;

    /// <summary>Opens the socket and starts its receive loop.</summary>
    /// <param name="server">The server's address and port.</param>
    /// <param name="receiveBufferSize">The largest reply read, in octets.</param>
    /// <param name="timeProvider">The clock that stamps each reply's arrival and the socket's opening.</param>
    /// <exception cref="SocketException">The socket cannot be opened, bound or connected.</exception>
    public UdpSocketChannel(IPEndPoint server, int receiveBufferSize, TimeProvider timeProvider)
    {
        this.server = server.ToString();
        this.timeProvider = timeProvider;
        socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = SocketReceiveBufferSize;
            socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            socket.Connect(server);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        LocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        OpenedAt = timeProvider.GetTimestamp();
        receiveBuffer = new byte[receiveBufferSize];
        nextRandomId = randomIds.Length;
        using (ExecutionContext.SuppressFlow())
        {
            receiving = Task.Run(ReceiveLoopAsync);
        }
    }

    /// <summary>The source port (for tests and logs).</summary>
    public int LocalPort { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> at which the socket opened.</summary>
    public long OpenedAt { get; }

    /// <summary>How many queries registered on this socket since it opened.</summary>
    public int Registered => Volatile.Read(ref registered);

    /// <summary>True once the socket is closed (its receive loop may still be ending).</summary>
    public bool IsClosed => Volatile.Read(ref closedReason) is not null;

    /// <summary>The receive loop; it ends once the socket is closed.</summary>
    public Task Receiving => receiving;

    /// <summary>The queries waiting for a reply on this socket now.</summary>
    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Registers a query under a fresh random ID; null (with <paramref name="refusal"/>) when the socket is closed, retired or full.</summary>
    /// <param name="question">The question section as sent; owned by the query until it is unregistered.</param>
    /// <param name="refusal">Why the query was not registered.</param>
    public PendingQuery? Register(ReadOnlyMemory<byte> question, out string? refusal)
    {
        lock (gate)
        {
            refusal = closedReason
                ?? (retired ? "the socket is retired" : null)
                ?? (pending.Count >= MaxPending ? $"more than {MaxPending} queries in flight to {server} on one socket" : null);
            if (refusal is not null)
            {
                return null;
            }

            // RFC 5452 §4.3, §9.2: an unpredictable ID, never two outstanding alike on one socket.
            ushort id;
            do
            {
                if (nextRandomId == randomIds.Length)
                {
                    RandomNumberGenerator.Fill(randomIds);
                    nextRandomId = 0;
                }

                id = BinaryPrimitives.ReadUInt16LittleEndian(randomIds.AsSpan(nextRandomId));
                nextRandomId += 2;
            }
            while (pending.ContainsKey(id));

            var waiter = new PendingQuery(id, question);
            pending.Add(id, waiter);
            registered++;
            return waiter;
        }
    }

    /// <summary>Sends one transmission of a registered query (its ID already written); a failure's text, or null when sent.</summary>
    public async ValueTask<string?> SendAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SocketException exception)
        {
            return $"{nameof(SocketException)}: {exception.Message} ({server})";
        }
        catch (ObjectDisposedException)
        {
            return Volatile.Read(ref closedReason) ?? "the resolver is closed";
        }
    }

    /// <summary>Forgets a query that stopped waiting; a retired socket closes with its last one.</summary>
    public void Unregister(PendingQuery waiter)
    {
        bool drained;
        lock (gate)
        {
            if (pending.TryGetValue(waiter.Id, out var current) && ReferenceEquals(current, waiter))
            {
                pending.Remove(waiter.Id);
            }

            drained = retired && pending.Count == 0;
        }

        if (drained)
        {
            Close("the socket is retired");
        }
    }

    /// <summary>Takes no more queries; closes now if none is pending, else when the last one is done.</summary>
    public void Retire()
    {
        bool drained;
        lock (gate)
        {
            retired = true;
            drained = pending.Count == 0;
        }

        if (drained)
        {
            Close("the socket is retired");
        }
    }

    /// <summary>Closes the socket; pending queries get a failure; waits for the receive loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Close("the resolver is closed");
        await receiving.ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(receiveBuffer.AsMemory(), SocketFlags.None, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (Volatile.Read(ref closedReason) is not null)
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // An ICMP error for a datagram sent from this socket: nothing listens at the server's port
                // (or cannot be reached), so the queries waiting here will get no reply.
                FailPending($"{nameof(SocketException)}: {exception.Message} ({server})");
                continue;
            }
            catch (SocketException exception)
            {
                Close($"{nameof(SocketException)}: {exception.Message} ({server})");
                return;
            }

            Deliver(received);
        }
    }

    private void Deliver(int received)
    {
        var message = receiveBuffer.AsSpan(0, received);
        if (message.Length < DnsQueryWriter.HeaderLength)
        {
            return;
        }

        PendingQuery? waiter;
        lock (gate)
        {
            // RFC 5452 §9.1: take a reply only if its ID and question match a query still waiting (the
            // connected socket already matched the source address and port); else ignore it.
            var id = BinaryPrimitives.ReadUInt16BigEndian(message);
            if (!pending.TryGetValue(id, out waiter) || !DnsReplyReader.IsReplyTo(message, waiter.Question.Span))
            {
                return;
            }

            pending.Remove(id);
        }

        waiter.ReceivedAt = timeProvider.GetTimestamp();
        waiter.TrySetResult(DnsReplyReader.Read(message));
    }

    private void FailPending(string problem)
    {
        PendingQuery[] failed;
        lock (gate)
        {
            failed = [.. pending.Values];
            pending.Clear();
        }

        var reply = DnsReply.Failure(problem);
        foreach (var waiter in failed)
        {
            waiter.TrySetResult(reply);
        }
    }

    /// <summary>Closes the socket without waiting for the receive loop; pending queries get <paramref name="reason"/> as a failure.</summary>
    public void Close(string reason)
    {
        lock (gate)
        {
            if (closedReason is not null)
            {
                return;
            }

            closedReason = reason;
        }

        FailPending(reason);
        socket.Dispose();
    }
}
