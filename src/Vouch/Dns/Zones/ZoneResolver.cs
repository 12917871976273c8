using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;

namespace Vouch.Dns.Zones;

/// <summary>
/// Answers DNS questions from <see cref="ZoneData"/> held in memory, as an authoritative server would:
/// records of the asked type; NODATA for a name that exists (or has names below it) without them;
/// NXDOMAIN otherwise; CNAMEs followed (at most 8). Injected failures answer as injected.
/// Thread-safe: it works on a snapshot taken when it is built.
/// </summary>
public sealed class ZoneResolver : IDnsResolver
{
    private const int MaxCnameHops = 8;
    private static readonly TimeSpan DefaultNegativeTtl = TimeSpan.FromMinutes(5);

    private readonly FrozenDictionary<string, ResourceRecord[]> recordsByName;
    private readonly FrozenSet<string> existingNames;
    private readonly FrozenDictionary<(string Name, DnsRecordType? Type), DnsStatus> failures;
    private readonly string[] origins;

    /// <summary>Takes a snapshot of <paramref name="data"/>; later changes to it are not seen.</summary>
    public ZoneResolver(ZoneData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        recordsByName = data.Records.GroupBy(r => r.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in recordsByName.Keys)
        {
            // Every ancestor of an owner name exists (an empty non-terminal answers NODATA, RFC 8020).
            for (var current = name; ; current = current[(current.IndexOf('.', StringComparison.Ordinal) + 1)..])
            {
                if (!names.Add(current) || !current.Contains('.', StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        names.UnionWith(data.Origins);
        existingNames = names.ToFrozenSet(StringComparer.Ordinal);
        failures = data.Failures.ToFrozenDictionary();
        origins = [.. data.Origins];
    }

    /// <summary>True when <paramref name="name"/> equals or lies below the origin of a loaded zone.</summary>
    public bool IsAuthoritativeFor(string name)
    {
        var normalized = DnsName.Normalize(name);
        foreach (var origin in origins)
        {
            if (DnsName.IsSubdomainOrSelf(normalized, origin))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Lookup(name, DnsRecordType.TXT, static data => (TxtRecord)data));

    /// <inheritdoc />
    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Lookup(name, family == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A, static data => (IPAddress)data));

    /// <inheritdoc />
    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Lookup(name, DnsRecordType.MX, static data => (MxRecord)data));

    /// <inheritdoc />
    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Lookup(name, DnsRecordType.APL, static data => (AplItem)data));

    /// <inheritdoc />
    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Lookup(DnsName.ReverseName(address), DnsRecordType.PTR, static data => (string)data));

    /// <summary>
    /// Answers one question of any type, following CNAMEs (at most 8 hops; a longer chain is a server failure); records
    /// reached through a CNAME carry their owner as <see cref="DnsAnswer{T}.CanonicalName"/>.
    /// </summary>
    public DnsAnswer<T> Lookup<T>(string name, DnsRecordType type, Func<object, T> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        var current = DnsName.Normalize(name);

        // The answer may be kept no longer than any CNAME that led to it.
        var chainTtl = TimeSpan.MaxValue;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            if (failures.Count > 0 &&
                (failures.TryGetValue((current, type), out var injected) || failures.TryGetValue((current, null), out injected)))
            {
                return DnsAnswer<T>.Empty(injected, TimeSpan.Zero, $"{injected.ToToken()} injected for {current}");
            }

            if (!recordsByName.TryGetValue(current, out var records))
            {
                return DnsAnswer<T>.Empty(existingNames.Contains(current) ? DnsStatus.NoData : DnsStatus.NoSuchDomain, Min(chainTtl, NegativeTtl(current)));
            }

            List<T>? found = null;
            var ttl = TimeSpan.MaxValue;
            ResourceRecord? alias = null;
            foreach (var record in records)
            {
                if (record.Type == type)
                {
                    (found ??= []).Add(select(record.Data));
                    ttl = Min(ttl, record.TimeToLive);
                }
                else if (record.Type == DnsRecordType.CNAME)
                {
                    alias = record;
                }
            }

            if (found is not null)
            {
                // After a CNAME, the records' owner is their canonical name (RFC 1034 §3.6.2).
                return DnsAnswer<T>.FromRecords(found, Min(chainTtl, ttl), hop > 0 ? current : null);
            }

            if (alias is null || type == DnsRecordType.CNAME)
            {
                return DnsAnswer<T>.Empty(DnsStatus.NoData, Min(chainTtl, NegativeTtl(current)));
            }

            chainTtl = Min(chainTtl, alias.TimeToLive);
            current = DnsName.Normalize((string)alias.Data);
        }

        return DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"CNAME chain longer than {MaxCnameHops} at {name}");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? string.Empty : name[(dot + 1)..];
    }

    private TimeSpan NegativeTtl(string name)
    {
        // RFC 2308 §5: the lesser of the SOA's TTL and its MINIMUM field, from the closest enclosing zone,
        // which may be the root ("").
        for (var current = name; ; current = Parent(current))
        {
            if (recordsByName.TryGetValue(current, out var records))
            {
                foreach (var record in records)
                {
                    if (record.Type == DnsRecordType.SOA)
                    {
                        return Min(((SoaRecord)record.Data).Minimum, record.TimeToLive);
                    }
                }
            }

            if (current.Length == 0)
            {
                return DefaultNegativeTtl;
            }
        }
    }
}
