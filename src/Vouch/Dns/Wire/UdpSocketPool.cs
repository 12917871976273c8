using System.Buffers.Binary;
using System.Net;

namespace Vouch.Dns.Wire;

/// <summary>
/// The UDP side of one DNS server: a few sockets kept open (so that one socket's receive loop and ID space
/// are not the only ones, and replies spread over several kernel buffers) that queries take in turn, each
/// replaced after some queries or some time (RFC 5452 §10); a bound on the queries in flight; and the
/// retransmission schedule, adapted to the server's measured round-trip time.
/// </summary>
internal sealed class UdpSocketPool : IAsyncDisposable
{
    private const string ClosedProblem = "the resolver is closed";

    private readonly IPEndPoint server;
    private readonly int receiveBufferSize;
    private readonly NetworkResolverOptions options;
    private readonly TimeProvider timeProvider;
    private readonly UdpCounters counters;
    private readonly RetransmissionTimer timer;
    private readonly SemaphoreSlim slots;
    private readonly TimeSpan budget;
    private readonly double maxAgeTicks;
    private readonly Lock gate = new();
    private readonly UdpSocketChannel[] channels;
    private readonly List<UdpSocketChannel> retired = [];
    private int next;
    private bool closed;

    /// <summary>Opens <paramref name="size"/> sockets to <paramref name="server"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">A socket cannot be opened, bound or connected.</exception>
    public UdpSocketPool(IPEndPoint server, int size, int receiveBufferSize, NetworkResolverOptions options, TimeProvider timeProvider, UdpCounters counters)
    {
        this.server = server;
        this.receiveBufferSize = receiveBufferSize;
        this.options = options;
        this.timeProvider = timeProvider;
        this.counters = counters;
        timer = new RetransmissionTimer(options.InitialRetransmitInterval, options.MinimumRetransmitInterval, options.Timeout);
        slots = new SemaphoreSlim(Math.Max(options.MaxInFlightPerServer, 1));
        budget = options.Timeout * (1 + Math.Max(options.Retries, 0));
        maxAgeTicks = options.SocketMaxAge.TotalSeconds * timeProvider.TimestampFrequency;
        channels = new UdpSocketChannel[size];
        try
        {
            for (var i = 0; i < size; i++)
            {
                channels[i] = new UdpSocketChannel(server, receiveBufferSize, timeProvider);
            }
        }
        catch
        {
            foreach (var channel in channels)
            {
                channel?.Close(ClosedProblem);
            }

            throw;
        }
    }

    /// <summary>The queries waiting for a reply on these sockets now, retired ones included.</summary>
    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return channels.Sum(channel => channel.PendingCount) + retired.Sum(channel => channel.PendingCount);
            }
        }
    }

    /// <summary>The sockets open now: the pool's, and retired ones still draining.</summary>
    public int OpenSockets
    {
        get
        {
            lock (gate)
            {
                return channels.Count(channel => !channel.IsClosed) + retired.Count(channel => !channel.IsClosed);
            }
        }
    }

    /// <summary>The source ports of the pool's current sockets.</summary>
    public IReadOnlyList<int> LocalPorts
    {
        get
        {
            lock (gate)
            {
                return [.. channels.Select(channel => channel.LocalPort)];
            }
        }
    }

    /// <summary>The server's retransmission timer (for tests).</summary>
    public RetransmissionTimer Timer => timer;

    /// <summary>
    /// Sends <paramref name="query"/> and waits for its reply for the server's time (<see cref="NetworkResolverOptions.Timeout"/> ×
    /// (1 + <see cref="NetworkResolverOptions.Retries"/>)), sending it again on the back-off schedule; a late reply to
    /// any transmission counts, since all carry the same ID and question.
    /// </summary>
    /// <param name="query">The whole query message; its first two octets are overwritten with the ID.</param>
    /// <param name="questionLength">The length of the question section, which starts after the header.</param>
    /// <param name="cancellationToken">Stops the wait; the query is forgotten.</param>
    /// <returns>The reply (or a failure: a network error, a malformed reply); null when none came in time.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DnsReply?> ExchangeAsync(Memory<byte> query, int questionLength, CancellationToken cancellationToken)
    {
        if (!slots.Wait(0, CancellationToken.None))
        {
            counters.Queued();
            if (!await WaitForSlotAsync(cancellationToken).ConfigureAwait(false))
            {
                counters.GaveUp();
                return null;
            }
        }

        try
        {
            var channel = Take(query.Slice(DnsQueryWriter.HeaderLength, questionLength), out var waiter, out var refusal);
            if (channel is null)
            {
                return DnsReply.Failure(refusal!);
            }

            try
            {
                BinaryPrimitives.WriteUInt16BigEndian(query.Span, waiter!.Id);
                return await TransmitAsync(channel, waiter, query, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                channel.Unregister(waiter!);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Closes every socket without waiting for the receive loops.</summary>
    public void Close()
    {
        foreach (var channel in TakeAll())
        {
            channel.Close(ClosedProblem);
        }
    }

    /// <summary>Closes every socket and waits for the receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var channel in TakeAll())
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<DnsReply?> TransmitAsync(UdpSocketChannel channel, PendingQuery waiter, Memory<byte> query, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        for (var transmission = 0; ; transmission++)
        {
            if (transmission > 0)
            {
                counters.Retransmitted();
            }

            if (await channel.SendAsync(query, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return DnsReply.Failure(problem);
            }

            // RFC 1035 §4.2.1, RFC 1123 §6.1.3.3: the interval comes from the server's measured round-trip
            // time and backs off exponentially. RFC 1123 asks for at least 2-5 s, meant for servers across the
            // 1989 Internet; ours is a resolver next door answering in milliseconds, so the floor is
            // MinimumRetransmitInterval and the transmissions are bounded (MaxTransmissions).
            var remaining = budget - timeProvider.GetElapsedTime(started);
            var wait = transmission + 1 < Math.Max(options.MaxTransmissions, 1) ? Min(timer.Interval(transmission), remaining) : remaining;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    var reply = await waiter.Task.WaitAsync(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                    if (transmission == 0 && reply.Problem is null)
                    {
                        // Karn's rule (RFC 6298 §3): only a query sent once measures the round trip.
                        timer.Sample(timeProvider.GetElapsedTime(started, waiter.ReceivedAt));
                    }

                    return reply;
                }
                catch (TimeoutException)
                {
                    // No reply to any transmission yet: send again, and keep listening for all of them.
                }
            }

            // Less time left than the shortest retransmission interval: another datagram could hardly be answered
            // in it (and a timer that fired a hair early must not buy one more).
            if (budget - timeProvider.GetElapsedTime(started) < Min(options.MinimumRetransmitInterval, budget) || transmission + 1 >= Math.Max(options.MaxTransmissions, 1))
            {
                // The reply may have come just as the wait ended.
                if (waiter.Task.IsCompletedSuccessfully)
                {
                    return await waiter.Task.ConfigureAwait(false);
                }

                counters.GaveUp();
                return null;
            }
        }
    }

    /// <summary>Waits for a slot for at most the server's time; false when none came free in it.</summary>
    private async Task<bool> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(budget, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await slots.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The next socket in turn, with the query registered on it; a socket past its queries or age is replaced first.</summary>
    private UdpSocketChannel? Take(ReadOnlyMemory<byte> question, out PendingQuery? waiter, out string? refusal)
    {
        lock (gate)
        {
            waiter = null;
            if (closed)
            {
                refusal = ClosedProblem;
                return null;
            }

            var index = (int)((uint)next++ % (uint)channels.Length);
            var channel = channels[index];
            if (channel.Registered >= Math.Max(options.SocketMaxQueries, 1) || timeProvider.GetTimestamp() - channel.OpenedAt >= maxAgeTicks || channel.IsClosed)
            {
                channel = Replace(index);
            }

            waiter = channel.Register(question, out refusal);
            return waiter is null ? null : channel;
        }
    }

    /// <summary>Opens a new socket in slot <paramref name="index"/>; the old one drains, then closes. Called under the lock.</summary>
    private UdpSocketChannel Replace(int index)
    {
        var old = channels[index];
        UdpSocketChannel fresh;
        try
        {
            fresh = new UdpSocketChannel(server, receiveBufferSize, timeProvider);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No new socket now (out of ports or descriptors): keep the old one a while longer.
            return old;
        }

        channels[index] = fresh;
        retired.RemoveAll(channel => channel.Receiving.IsCompleted);
        retired.Add(old);
        old.Retire();
        return fresh;
    }

    private List<UdpSocketChannel> TakeAll()
    {
        lock (gate)
        {
            closed = true;
            return [.. channels, .. retired];
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
