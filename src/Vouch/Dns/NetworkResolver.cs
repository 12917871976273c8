using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Vouch.Dns;

/// <summary>
/// Asks real DNS servers, through DnsClient: UDP with EDNS0, TCP when a reply is truncated, a timeout and
/// retries per query. Outcomes map exactly: NOERROR with answers → records; NOERROR empty → no data;
/// NXDOMAIN → no such domain; SERVFAIL, REFUSED, any other RCODE, a malformed reply or a network error →
/// server failure; no reply in time → timeout. CNAME chains in the answer are followed; a chain that
/// leaves the answer is asked for again (at most 8 links). It does not cache: wrap it in a
/// <see cref="CachingResolver"/>. This is the only file that knows DnsClient.
/// </summary>
public sealed class NetworkResolver : IDnsResolver
{
    private const int MaxCnameLinks = 8;

    private readonly LookupClient client;
    private readonly NetworkResolverOptions options;
    private readonly string serverDescription;

    /// <summary>Creates the resolver.</summary>
    /// <param name="options">Servers, timeout, retries; null means the defaults (the system's servers).</param>
    /// <exception cref="InvalidOperationException">No servers were given and none could be read from the system.</exception>
    public NetworkResolver(NetworkResolverOptions? options = null)
    {
        this.options = options ?? new NetworkResolverOptions();
        var lookupOptions = this.options.Servers.Count > 0
            ? new LookupClientOptions([.. this.options.Servers])
            : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = this.options.Timeout;
        lookupOptions.Retries = this.options.Retries;
        lookupOptions.UseTcpFallback = true;
        lookupOptions.ExtendedDnsBufferSize = this.options.UdpPayloadSize;
        lookupOptions.ThrowDnsErrors = false;

        // An empty answer is a normal answer (NODATA), and NXDOMAIN is final: asking the next server would
        // only cost time. A SERVFAIL also stops here and becomes a temporary failure.
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.ContinueOnDnsError = false;
        lookupOptions.UseRandomNameServer = false;
        lookupOptions.EnableAuditTrail = false;
        client = new LookupClient(lookupOptions);
        if (client.NameServers.Count == 0)
        {
            throw new InvalidOperationException("no DNS servers configured and none found in /etc/resolv.conf");
        }

        serverDescription = string.Join(", ", client.NameServers.Select(s => s.ToString()));
    }

    /// <summary>The servers asked, as "address:port" text.</summary>
    public string Servers => serverDescription;

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync(name, QueryType.TXT, static record => record is DnsClient.Protocol.TxtRecord txt ? new TxtRecord([.. txt.Text]) : null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        family == AddressFamily.InterNetworkV6
            ? await QueryAsync(name, QueryType.AAAA, static record => (record as AaaaRecord)?.Address, cancellationToken).ConfigureAwait(false)
            : await QueryAsync(name, QueryType.A, static record => (record as ARecord)?.Address, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync(name, QueryType.MX, static record => record is DnsClient.Protocol.MxRecord mx ? new MxRecord(mx.Preference, HostName(mx.Exchange)) : null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken)
    {
        // DnsClient has no APL type: the records come as raw RDATA, read here (RFC 3123 §4).
        var answer = await QueryAsync(name, (QueryType)DnsRecordType.APL, static record => record is UnknownRecord unknown ? ReadAplItems(unknown.Data) : null, cancellationToken).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Records)
        {
            return DnsAnswer<AplItem>.Empty(answer.Status, answer.TimeToLive, answer.Problem);
        }

        return DnsAnswer<AplItem>.FromRecords([.. answer.Records.SelectMany(items => items)], answer.TimeToLive);
    }

    /// <inheritdoc />
    public async ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        await QueryAsync(DnsName.ReverseName(address), QueryType.PTR, static record => record is PtrRecord ptr ? HostName(ptr.PtrDomainName) : null, cancellationToken).ConfigureAwait(false);

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<DnsResourceRecord, T?> select, CancellationToken cancellationToken)
    {
        var current = DnsName.Normalize(name);
        var ttl = TimeSpan.MaxValue;
        for (var link = 0; link <= MaxCnameLinks; link++)
        {
            IDnsQueryResponse response;
            try
            {
                response = await client.QueryAsync(current + ".", type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            }
            catch (DnsResponseException exception) when (exception.Code == DnsResponseCode.ConnectionTimeout)
            {
                return DnsAnswer<T>.Empty(DnsStatus.Timeout, TimeSpan.Zero, $"no reply from {serverDescription} within {options.Timeout.TotalSeconds:0.#} s");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return DnsAnswer<T>.Empty(DnsStatus.Timeout, TimeSpan.Zero, $"no reply from {serverDescription} within {options.Timeout.TotalSeconds:0.#} s");
            }
            catch (Exception exception) when (exception is DnsResponseException or SocketException or IOException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
            {
                // Network errors, malformed replies and names DnsClient will not send are all "try again later".
                return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"{exception.GetType().Name}: {exception.Message}");
            }

            var code = (DnsHeaderResponseCode)response.Header.ResponseCode;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
            {
                return DnsAnswer<T>.Empty(DnsStatus.NoSuchDomain, Min(ttl, NegativeTtl(response)));
            }

            if (code != DnsHeaderResponseCode.NoError)
            {
                return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"{code} from {response.NameServer}");
            }

            // Follow the CNAME chain through the answer section; collect the records owned by its end.
            var owner = current;
            for (var hop = 0; hop <= MaxCnameLinks; hop++)
            {
                var alias = response.Answers.OfType<CNameRecord>().FirstOrDefault(c => SameName(c.DomainName, owner));
                if (alias is null || type == QueryType.CNAME)
                {
                    break;
                }

                ttl = Min(ttl, TimeSpan.FromSeconds(alias.InitialTimeToLive));
                owner = HostName(alias.CanonicalName);
            }

            var records = new List<T>();
            foreach (var record in response.Answers)
            {
                if (SameName(record.DomainName, owner) && select(record) is { } value)
                {
                    records.Add(value);
                    ttl = Min(ttl, TimeSpan.FromSeconds(record.InitialTimeToLive));
                }
            }

            if (records.Count > 0)
            {
                return DnsAnswer<T>.FromRecords(records, ttl);
            }

            if (owner == current)
            {
                return DnsAnswer<T>.Empty(DnsStatus.NoData, Min(ttl, NegativeTtl(response)));
            }

            // The chain left the answer (an authoritative server answers only for its own zones): ask for its end.
            current = owner;
        }

        return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"CNAME chain longer than {MaxCnameLinks} links at {name}");
    }

    /// <summary>
    /// APL RDATA (RFC 3123 §4): items of ADDRESSFAMILY (16 bits), PREFIX (8), N and AFDLENGTH (1 + 7),
    /// and AFDPART with its trailing zero octets left out. A malformed record gives null (it is skipped).
    /// </summary>
    private static AplItem[]? ReadAplItems(IReadOnlyList<byte> data)
    {
        var items = new List<AplItem>();
        var position = 0;
        while (position < data.Count)
        {
            if (position + 4 > data.Count)
            {
                return null;
            }

            var family = (data[position] << 8) | data[position + 1];
            var prefixLength = data[position + 2];
            var negated = (data[position + 3] & 0x80) != 0;
            var length = data[position + 3] & 0x7F;
            var width = family == 1 ? 4 : family == 2 ? 16 : 0;
            if (width == 0 || length > width || position + 4 + length > data.Count || prefixLength > width * 8)
            {
                return null;
            }

            var address = new byte[width];
            for (var i = 0; i < length; i++)
            {
                address[i] = data[position + 4 + i];
            }

            items.Add(new AplItem(negated, new Network.AddressPrefix(new IPAddress(address), prefixLength)));
            position += 4 + length;
        }

        return [.. items];
    }

    /// <summary>RFC 2308 §5: the lesser of the SOA record's TTL and its MINIMUM field.</summary>
    private TimeSpan NegativeTtl(IDnsQueryResponse response)
    {
        var soa = response.Authorities.OfType<DnsClient.Protocol.SoaRecord>().FirstOrDefault();
        return soa is null ? options.NegativeTtlWithoutSoa : TimeSpan.FromSeconds(Math.Min((uint)Math.Max(soa.InitialTimeToLive, 0), soa.Minimum));
    }

    private static bool SameName(DnsString name, string normalized) =>
        string.Equals(HostName(name), normalized, StringComparison.Ordinal);

    // Original is the name as it came over the wire (ACE labels stay "xn--..."); Value would be decoded to Unicode.
    private static string HostName(DnsString name) => DnsName.Normalize(name.Original);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
