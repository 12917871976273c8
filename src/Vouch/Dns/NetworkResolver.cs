using System.Buffers;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Vouch.Dns;

/// <summary>
/// Asks real DNS servers: UDP with EDNS0 over sockets kept open (a few per server, each with a random
/// ephemeral port, replaced after <see cref="NetworkResolverOptions.SocketMaxQueries"/> queries or
/// <see cref="NetworkResolverOptions.SocketMaxAge"/>, and one receive loop; a reply counts only with its query's
/// random ID and question), and TCP through DnsClient when a reply is truncated. For each server in order, a
/// query may wait <see cref="NetworkResolverOptions.Timeout"/> × (1 + <see cref="NetworkResolverOptions.Retries"/>)
/// in all; within that it is sent again when no reply came after a few of the server's measured round-trip times
/// (at least <see cref="NetworkResolverOptions.MinimumRetransmitInterval"/>, doubling up to the timeout, at most
/// <see cref="NetworkResolverOptions.MaxTransmissions"/> times), and a reply to any transmission completes it. At
/// most <see cref="NetworkResolverOptions.MaxInFlightPerServer"/> queries wait on one server at once; more queue.
/// No reply moves on to the next server; a network error (an ICMP "port unreachable")
/// or a malformed reply moves on to the next server; the last server's outcome stands. Any RCODE is final
/// (DnsClient's ContinueOnDnsError = false, as before). Outcomes map exactly: NOERROR with answers →
/// records; NOERROR empty → no data; NXDOMAIN → no such domain; SERVFAIL, REFUSED, any other RCODE, a
/// malformed reply, a network error or a name that cannot be sent → server failure; no reply in time from
/// any server → timeout. CNAME chains in the answer are followed; a chain that leaves the answer is asked for
/// again (at most 8 links). It does not cache: wrap it in a <see cref="CachingResolver"/>. This is the only
/// file that knows DnsClient. Dispose it to close its sockets; lookups after that give server failure.
/// </summary>
public sealed class NetworkResolver : IDnsResolver, IAsyncDisposable, IDisposable
{
    private const int MaxCnameLinks = 8;

    /// <summary>Sockets per server: enough to spread a burst of replies over several receive buffers and loops.</summary>
    private const int SocketsPerServer = 4;

    /// <summary>The largest UDP datagram: a server that sends more than the size offered is still read whole.</summary>
    private const int ReceiveBufferSize = ushort.MaxValue;

    private const string ClosedProblem = "the resolver is closed";

    private readonly LookupClient tcpClient;
    private readonly NetworkResolverOptions options;
    private readonly NameServer[] nameServers;
    private readonly IPEndPoint[] endpoints;
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
        var lookupOptions = this.options.Servers.Count > 0
            ? new LookupClientOptions([.. this.options.Servers])
            : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = this.options.Timeout;
        lookupOptions.Retries = this.options.Retries;
        lookupOptions.UseTcpOnly = true;
        lookupOptions.ExtendedDnsBufferSize = this.options.UdpPayloadSize;
        lookupOptions.ThrowDnsErrors = false;

        // An empty answer is a normal answer (NODATA), and NXDOMAIN is final: asking the next server would
        // only cost time. A SERVFAIL also stops here and becomes a temporary failure.
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.ContinueOnDnsError = false;
        lookupOptions.UseRandomNameServer = false;
        lookupOptions.EnableAuditTrail = false;
        tcpClient = new LookupClient(lookupOptions);
        if (tcpClient.NameServers.Count == 0)
        {
            throw new InvalidOperationException("no DNS servers configured and none found in /etc/resolv.conf");
        }

        nameServers = [.. tcpClient.NameServers];
        endpoints = new IPEndPoint[nameServers.Length];
        for (var i = 0; i < nameServers.Length; i++)
        {
            endpoints[i] = new IPEndPoint(IPAddress.Parse(nameServers[i].Address), nameServers[i].Port);
        }

        pools = new UdpSocketPool?[nameServers.Length];
        serverDescription = string.Join(", ", nameServers.Select(s => s.ToString()));
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

        return DnsAnswer<AplItem>.FromRecords([.. answer.Records.SelectMany(items => items)], answer.TimeToLive);
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

            var code = (DnsHeaderResponseCode)reply.ResponseCode;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
            {
                return DnsAnswer<T>.Empty(DnsStatus.NoSuchDomain, Min(ttl, reply.NegativeTtl ?? options.NegativeTtlWithoutSoa));
            }

            if (code != DnsHeaderResponseCode.NoError)
            {
                return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"{code} from {nameServers[server]}");
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
                return DnsAnswer<T>.FromRecords(records, ttl);
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
                    reply = await TcpExchangeAsync(server, name + ".", type, cancellationToken).ConfigureAwait(false);
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
                failure = DnsReply.Failure($"{nameof(SocketException)}: {exception.Message} ({nameServers[server]})");
                return null;
            }
        }
    }

    /// <summary>The same question over TCP to the same server (RFC 7766 §5), through DnsClient, mapped as before.</summary>
    private async Task<DnsReply> TcpExchangeAsync(int server, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await tcpClient.QueryServerAsync([nameServers[server]], name, (QueryType)type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException exception) when (exception.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsReply.NoReply;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DnsReply.NoReply;
        }
        catch (Exception exception) when (exception is DnsResponseException or SocketException or IOException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return DnsReply.Failure($"{exception.GetType().Name}: {exception.Message}");
        }

        var code = response.Header.ResponseCode;
        var answers = new List<DnsReplyRecord>(response.Answers.Count);
        foreach (var record in response.Answers)
        {
            object? data = record switch
            {
                ARecord a => a.Address,
                AaaaRecord aaaa => aaaa.Address,
                CNameRecord cname => HostName(cname.CanonicalName),
                PtrRecord ptr => HostName(ptr.PtrDomainName),
                DnsClient.Protocol.MxRecord mx => new MxRecord(mx.Preference, HostName(mx.Exchange)),
                DnsClient.Protocol.TxtRecord txt => new TxtRecord([.. txt.Text]),
                UnknownRecord unknown when unknown.RecordType == (ResourceRecordType)DnsRecordType.APL => DnsReplyReader.ReadAplItems([.. unknown.Data]),
                _ => null,
            };
            if (data is not null && record.RecordClass == QueryClass.IN)
            {
                answers.Add(new DnsReplyRecord(HostName(record.DomainName), (DnsRecordType)record.RecordType, TimeSpan.FromSeconds(Math.Max(record.InitialTimeToLive, 0)), data));
            }
        }

        return DnsReply.Answer((int)code, answers, NegativeTtl(response));
    }

    /// <summary>RFC 2308 §5: the lesser of the SOA record's TTL and its MINIMUM field; null without an SOA.</summary>
    private static TimeSpan? NegativeTtl(IDnsQueryResponse response)
    {
        var soa = response.Authorities.OfType<DnsClient.Protocol.SoaRecord>().FirstOrDefault();
        return soa is null ? null : TimeSpan.FromSeconds(Math.Min((uint)Math.Max(soa.InitialTimeToLive, 0), soa.Minimum));
    }

    // Original is the name as it came over the wire (ACE labels stay "xn--..."); Value would be decoded to Unicode.
    private static string HostName(DnsString name) => DnsName.Normalize(name.Original);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
