using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Vouch.Tests.Support;

/// <summary>
/// A lossy UDP path on a free loopback port in front of a DNS server: it forwards each client's datagrams
/// to the server (one upstream socket per client address, so replies find their way back) and drops some,
/// deterministically per query rather than at random: of the distinct queries (a client, ID and question;
/// a retransmission is the same datagram) in the order they arrive, every <c>dropQueryEvery</c>th loses its
/// first transmission, and every <c>dropReplyEvery</c>th (counted from the second) loses the first reply.
/// Each lost datagram then costs the client exactly one retransmission.
/// </summary>
internal sealed class LossyUdpRelay : IAsyncDisposable
{
    private readonly Socket front;
    private readonly IPEndPoint upstream;
    private readonly int dropQueryEvery;
    private readonly int dropReplyEvery;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, Upstream> clients = new();
    private readonly ConcurrentDictionary<string, QueryState> queries = new();
    private readonly List<Task> loops = [];
    private int distinctQueries;
    private int dropped;

    private LossyUdpRelay(IPEndPoint upstream, int dropQueryEvery, int dropReplyEvery)
    {
        this.upstream = upstream;
        this.dropQueryEvery = dropQueryEvery;
        this.dropReplyEvery = dropReplyEvery;
        front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint = (IPEndPoint)front.LocalEndPoint!;
        loops.Add(Task.Run(ForwardQueriesAsync));
    }

    /// <summary>Where clients send their queries.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The datagrams dropped so far, queries and replies.</summary>
    public int Dropped => Volatile.Read(ref dropped);

    /// <summary>The distinct queries seen so far.</summary>
    public int DistinctQueries => Volatile.Read(ref distinctQueries);

    public static LossyUdpRelay Start(IPEndPoint upstream, int dropQueryEvery = 3, int dropReplyEvery = 3) => new(upstream, dropQueryEvery, dropReplyEvery);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        front.Dispose();
        foreach (var client in clients.Values)
        {
            client.Socket.Dispose();
        }

        try
        {
            Task[] running;
            lock (loops)
            {
                running = [.. loops];
            }

            await Task.WhenAll(running);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private static string Key(IPEndPoint client, ReadOnlySpan<byte> message) =>
        $"{client}/{(message[0] << 8) | message[1]}";

    private async Task ForwardQueriesAsync()
    {
        var buffer = new byte[65535];
        while (!stop.IsCancellationRequested)
        {
            var received = await front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
            var client = (IPEndPoint)received.RemoteEndPoint;
            var datagram = buffer[..received.ReceivedBytes];
            if (datagram.Length < 12)
            {
                continue;
            }

            var key = Key(client, datagram);
            var content = Convert.ToHexString(datagram);
            var isNew = false;
            var state = queries.AddOrUpdate(
                key,
                _ =>
                {
                    isNew = true;
                    return new QueryState(content, Interlocked.Increment(ref distinctQueries));
                },
                (_, old) =>
                {
                    // The same ID again from the same client with another question is a new query.
                    if (old.Content == content)
                    {
                        return old;
                    }

                    isNew = true;
                    return new QueryState(content, Interlocked.Increment(ref distinctQueries));
                });
            if (isNew && state.Index % dropQueryEvery == 0)
            {
                Interlocked.Increment(ref dropped);
                continue;
            }

            var route = clients.GetOrAdd(client.ToString(), _ => OpenUpstream(client));
            await route.Socket.SendAsync(datagram, SocketFlags.None, stop.Token);
        }
    }

    private Upstream OpenUpstream(IPEndPoint client)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(upstream);
        var route = new Upstream(socket, client);
        lock (loops)
        {
            loops.Add(Task.Run(() => ForwardRepliesAsync(route)));
        }

        return route;
    }

    private async Task ForwardRepliesAsync(Upstream route)
    {
        var buffer = new byte[65535];
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await route.Socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
            {
                continue;
            }

            if (length < 12)
            {
                continue;
            }

            var reply = buffer[..length];
            if (queries.TryGetValue(Key(route.Client, reply), out var state) && state.Index % dropReplyEvery == 1 % dropReplyEvery
                && Interlocked.Exchange(ref state.ReplyDropped, 1) == 0)
            {
                Interlocked.Increment(ref dropped);
                continue;
            }

            await front.SendToAsync(reply, SocketFlags.None, route.Client, stop.Token);
        }
    }

    private sealed record Upstream(Socket Socket, IPEndPoint Client);

    private sealed class QueryState(string content, int index)
    {
        public int ReplyDropped;

        public string Content { get; } = content;

        public int Index { get; } = index;
    }
}
