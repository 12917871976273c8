using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Vouch.Dns.Wire;

/// <summary>
/// Asks real DNS servers: UDP with EDNS0 over sockets kept open (a few per server, each with a random
/// ephemeral port, replaced after <see cref="NetworkResolverOptions.SocketMaxQueries"/> queries or
/// <see cref="NetworkResolverOptions.SocketMaxAge"/>, and one receive loop; a reply counts only with its query's
/// random ID and question), and TCP to the same server when a reply is truncated (<see cref="TcpExchange"/>, its
/// reply read by the same reader). For each server in order, a query may wait <see cref="NetworkResolverOptions.Timeout"/>
/// × (1 + <see cref="NetworkResolverOptions.Retries"/>) in all, and as long again over TCP; within that it is sent
/// again when no reply came after a few of the server's measured round-trip times (at least
/// <see cref="NetworkResolverOptions.MinimumRetransmitInterval"/>, doubling up to the timeout, at most
/// <see cref="NetworkResolverOptions.MaxTransmissions"/> times), and a reply to any transmission completes it. At
/// most <see cref="NetworkResolverOptions.MaxInFlightPerServer"/> queries wait on one server at once; more queue.
/// No reply, a network error (an ICMP "port unreachable", a refused or reset connection) or a malformed reply
/// moves on to the next server; the last server's outcome stands. Any RCODE is final. Outcomes map exactly:
/// NOERROR with answers → records; NOERROR empty → no data; NXDOMAIN → no such domain; SERVFAIL, REFUSED, any
/// other RCODE, a malformed reply, a network error or a name that cannot be sent → server failure; no reply in
/// time from any server → timeout. CNAME chains in the answer are followed; a chain that leaves the answer is
/// asked for again (at most 8 links); the records found at its end carry that name as <see cref="DnsAnswer{T}.CanonicalName"/>. It does not cache: wrap it in a <c>CachingResolver</c>. Dispose it
/// to close its sockets; lookups after that give server failure.
/// </summary>
public sealed class NetworkResolver : IDnsResolver, IAsyncDisposable, IDisposable
{
    private const int MaxCnameLinks = 8;

    /// <summary>Sockets per server: enough to spread a burst of replies over several receive buffers and loops.</summary>
    private const int SocketsPerServer = 4;

    /// <summary>The largest UDP datagram: a server that sends more than the size offered is still read whole.</summary>
    private const int ReceiveBufferSize = ushort.MaxValue;

    private const string ClosedProblem = "the resolver is closed";

    private readonly NetworkResolverOptions options;
    private readonly IPEndPoint[] endpoints;
    private readonly TcpExchange tcp;
    private readonly UdpSocketPool?[] pools;
    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private readonly UdpCounters counters = new();
    private readonly string serverDescription;
    private bool disposed;

    /// <summary>Creates the resolver; its sockets open on first use, per server.</summary>
    /// <param name="options">Servers, timeout, retries; null means the defaults (the system's servers).</param>
    /// <param name="timeProvider">The clock of the retransmission schedule and round-trip times; null means the system clock.</param>
    /// <exception cref="InvalidOperationException">No servers were given and none could be read from the system.</exception>
    public NetworkResolver(NetworkResolverOptions? options = null, TimeProvider? timeProvider = null)
    {
        this.options = options ?? new NetworkResolverOptions();
        this.timeProvider = timeProvider ?? TimeProvider.System;
        endpoints = this.options.Servers.Count > 0
            ? [.. this.options.Servers]
            : [.. ResolvConfReader.Read(ResolvConfReader.DefaultPath)];
        if (endpoints.Length == 0)
        {
            throw new InvalidOperationException("no DNS servers configured and none found in /etc/resolv.conf");
        }

        pools = new UdpSocketPool?[endpoints.Length];
        tcp = new TcpExchange(this.options.Timeout * (1 + Math.Max(this.options.Retries, 0)), this.timeProvider);
        serverDescription = string.Join(", ", endpoints.Select(endpoint => endpoint.ToString()));
    }

    /// <summary>The servers asked, as "address:port" text.</summary>
    public string Servers => serverDescription;

    /// <summary>The UDP counters now: retransmissions, queries given up on a server, queue waits.</summary>
    public NetworkResolverStatistics Statistics => counters.Snapshot;

    /// <summary>The UDP sockets open now over all servers, retired ones still draining included.</summary>
    internal int OpenSockets
    {
        get
        {
            lock (gate)
            {
                return pools.Sum(pool => pool?.OpenSockets ?? 0);
            }
        }
    }

    /// <summary>The pool of server <paramref name="server"/> (its index in <see cref="Servers"/>), opened if need be; null when closed.</summary>
    internal UdpSocketPool? PoolOf(int server) => Pool(server, out _);

    /// <summary>The queries waiting for a UDP reply now, over all servers (tests check that none is left behind).</summary>
    internal int PendingQueries
    {
        get
        {
            lock (gate)
            {
                var count = 0;
                foreach (var pool in pools)
                {
                    count += pool?.PendingCount ?? 0;
                }

                return count;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync(name, DnsRecordType.TXT, static record => record.Type == DnsRecordType.TXT ? record.Data as TxtRecord : null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        family == AddressFamily.InterNetworkV6
            ? await QueryAsync(name, DnsRecordType.AAAA, static record => record.Type == DnsRecordType.AAAA ? record.Data as IPAddress : null, cancellationToken).ConfigureAwait(false)
            : await QueryAsync(name, DnsRecordType.A, static record => record.Type == DnsRecordType.A ? record.Data as IPAddress : null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync(name, DnsRecordType.MX, static record => record.Type == DnsRecordType.MX ? record.Data as MxRecord : null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken)
    {
        var answer = await QueryAsync(name, DnsRecordType.APL, static record => record.Type == DnsRecordType.APL ? record.Data as AplItem[] : null, cancellationToken).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Records)
        {
            return DnsAnswer<AplItem>.Empty(answer.Status, answer.TimeToLive, answer.Problem);
        }

        return DnsAnswer<AplItem>.FromRecords([.. answer.Records.SelectMany(items => items)], answer.TimeToLive, answer.CanonicalName);
    }

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        await QueryAsync(DnsName.ReverseName(address), DnsRecordType.PTR, static record => record.Type == DnsRecordType.PTR ? record.Data as string : null, cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the sockets and waits for their receive loops to end. Queries still waiting give server failure.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var pool in TakePools())
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the sockets without waiting for their receive loops. Queries still waiting give server failure.</summary>
    public void Dispose()
    {
        foreach (var pool in TakePools())
        {
            pool.Close();
        }
    }

    private List<UdpSocketPool> TakePools()
    {
        var taken = new List<UdpSocketPool>();
        lock (gate)
        {
            disposed = true;
            for (var i = 0; i < pools.Length; i++)
            {
                if (pools[i] is { } pool)
                {
                    taken.Add(pool);
                    pools[i] = null;
                }
            }
        }

        return taken;
    }

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, DnsRecordType type, Func<DnsReplyRecord, T?> select, CancellationToken cancellationToken)
    {
        var current = DnsName.Normalize(name);
        var ttl = TimeSpan.MaxValue;

        // Whether a CNAME led away from the asked name, in this reply or an earlier one: the records' owner is then their canonical name.
        var aliased = false;
        for (var link = 0; link <= MaxCnameLinks; link++)
        {
            var (reply, server) = await ExchangeAsync(current, type, cancellationToken).ConfigureAwait(false);
            if (reply.TimedOut)
            {
                return DnsAnswer<T>.Empty(DnsStatus.Timeout, TimeSpan.Zero, $"no reply from {serverDescription} within {options.Timeout.TotalSeconds:0.#} s");
            }

            if (reply.Problem is { } problem)
            {
                // Network errors, malformed replies and names that cannot be sent are all "try again later".
                return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, problem);
            }

            if (reply.ResponseCode == DnsReply.NameError)
            {
                return DnsAnswer<T>.Empty(DnsStatus.NoSuchDomain, Min(ttl, reply.NegativeTtl ?? options.NegativeTtlWithoutSoa));
            }

            if (reply.ResponseCode != DnsReply.NoError)
            {
                return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"{reply.ResponseCodeName} from {endpoints[server]}");
            }

            // Follow the CNAME chain through the answer section; collect the records owned by its end.
            var answers = reply.Answers;
            var owner = current;
            for (var hop = 0; hop <= MaxCnameLinks && type != DnsRecordType.CNAME; hop++)
            {
                var alias = -1;
                for (var i = 0; i < answers.Count; i++)
                {
                    if (answers[i].Type == DnsRecordType.CNAME && string.Equals(answers[i].Owner, owner, StringComparison.Ordinal))
                    {
                        alias = i;
                        break;
                    }
                }

                if (alias < 0)
                {
                    break;
                }

                ttl = Min(ttl, answers[alias].TimeToLive);
                owner = (string)answers[alias].Data!;
                aliased = true;
            }

            var records = new List<T>();
            for (var i = 0; i < answers.Count; i++)
            {
                if (string.Equals(answers[i].Owner, owner, StringComparison.Ordinal) && select(answers[i]) is { } value)
                {
                    records.Add(value);
                    ttl = Min(ttl, answers[i].TimeToLive);
                }
            }

            if (records.Count > 0)
            {
                return DnsAnswer<T>.FromRecords(records, ttl, aliased ? owner : null);
            }

            if (owner == current)
            {
                return DnsAnswer<T>.Empty(DnsStatus.NoData, Min(ttl, reply.NegativeTtl ?? options.NegativeTtlWithoutSoa));
            }

            // The chain left the answer (an authoritative server answers only for its own zones): ask for its end.
            current = owner;
        }

        return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"CNAME chain longer than {MaxCnameLinks} links at {name}");
    }

    /// <summary>
    /// Asks the servers in order over UDP until one replies; a truncated reply is asked again over TCP of the
    /// same server. The outcome of the last server asked stands when none replied. <paramref name="name"/> is
    /// normalized, without the trailing dot.
    /// </summary>
    private async Task<(DnsReply Reply, int Server)> ExchangeAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DnsQueryWriter.MaxQueryLength);
        try
        {
            if (!DnsQueryWriter.TryWrite(buffer, name, (ushort)type, options.UdpPayloadSize, out var length, out var questionLength, out var problem))
            {
                return (DnsReply.Failure($"{nameof(ArgumentException)}: {problem}"), 0);
            }

            var outcome = DnsReply.NoReply;
            for (var server = 0; server < endpoints.Length; server++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pool = Pool(server, out var failure);
                var reply = pool is null
                    ? failure!
                    : await pool.ExchangeAsync(buffer.AsMemory(0, length), questionLength, cancellationToken).ConfigureAwait(false) ?? DnsReply.NoReply;
                if (reply.Truncated)
                {
                    reply = await tcp.ExchangeAsync(endpoints[server], buffer.AsMemory(0, length), questionLength, cancellationToken).ConfigureAwait(false);
                }

                if (!reply.TimedOut && reply.Problem is null)
                {
                    return (reply, server);
                }

                // No reply, a network error or a malformed reply from this server: the next may do better.
                outcome = reply;
            }

            return (outcome, endpoints.Length - 1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private UdpSocketPool? Pool(int server, out DnsReply? failure)
    {
        failure = null;
        lock (gate)
        {
            if (disposed)
            {
                failure = DnsReply.Failure(ClosedProblem);
                return null;
            }

            try
            {
                return pools[server] ??= new UdpSocketPool(endpoints[server], SocketsPerServer, ReceiveBufferSize, options, timeProvider, counters);
            }
            catch (SocketException exception)
            {
                failure = DnsReply.Failure($"{nameof(SocketException)}: {exception.Message} ({endpoints[server]})");
                return null;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
