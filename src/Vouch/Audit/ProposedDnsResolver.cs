using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Audit;

/// <summary>
/// The DNS as it would be once the audit's proposed records are published, so that they are re-audited before
/// anyone publishes them. A proposed SPF record replaces the SPF record of its name and keeps its other TXT records;
/// other proposed records join the record set of their name and type. Everything else is asked of the DNS as it is;
/// a name the DNS cannot answer for now stays unanswered (a temporary failure), never replaced by a guess.
/// </summary>
public sealed class ProposedDnsResolver : IDnsResolver
{
    private readonly IDnsResolver inner;
    private readonly Dictionary<(string Name, DnsRecordType Type), List<ResourceRecord>> published = [];

    /// <summary>Creates the view of <paramref name="inner"/> with <paramref name="records"/> published.</summary>
    public ProposedDnsResolver(IDnsResolver inner, IEnumerable<ResourceRecord> records)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            var key = (DnsName.Normalize(record.Name), record.Type);
            if (!published.TryGetValue(key, out var set))
            {
                published[key] = set = [];
            }

            set.Add(record);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        var answer = await inner.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        if (!published.TryGetValue((DnsName.Normalize(name), DnsRecordType.TXT), out var added) || answer.Status.IsTemporaryFailure())
        {
            return answer;
        }

        var proposed = added.Select(r => (TxtRecord)r.Data).ToList();
        var replacesSpf = proposed.Any(r => AuditFix.IsSpf(r.Text));
        return DnsAnswer<TxtRecord>.FromRecords([.. answer.Records.Where(r => !(replacesSpf && AuditFix.IsSpf(r.Text))), .. proposed], ZoneLine.Ttl);
    }

    /// <inheritdoc/>
    public async ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        Merge(await inner.LookupAddressesAsync(name, family, cancellationToken).ConfigureAwait(false), name, family == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A, static data => (IPAddress)data);

    /// <inheritdoc/>
    public async ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        Merge(await inner.LookupMxAsync(name, cancellationToken).ConfigureAwait(false), name, DnsRecordType.MX, static data => (MxRecord)data);

    /// <inheritdoc/>
    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) => inner.LookupAplAsync(name, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Merge(await inner.LookupPtrAsync(address, cancellationToken).ConfigureAwait(false), DnsName.ReverseName(address), DnsRecordType.PTR, static data => (string)data);

    private DnsAnswer<T> Merge<T>(DnsAnswer<T> answer, string name, DnsRecordType type, Func<object, T> select)
    {
        if (!published.TryGetValue((DnsName.Normalize(name), type), out var added) || answer.Status.IsTemporaryFailure())
        {
            return answer;
        }

        return DnsAnswer<T>.FromRecords([.. answer.Records, .. added.Select(r => select(r.Data))], ZoneLine.Ttl);
    }
}
