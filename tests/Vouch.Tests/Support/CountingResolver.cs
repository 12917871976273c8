using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>Records the questions that reach the resolver it wraps.</summary>
internal sealed class CountingResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly ConcurrentQueue<DnsQuestion> asked = new();

    /// <summary>Every question asked, in the order they came.</summary>
    public IReadOnlyCollection<DnsQuestion> Asked => asked;

    public int Queries => asked.Count;

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        asked.Enqueue(new DnsQuestion(name, DnsRecordType.TXT));
        return inner.LookupTxtAsync(name, cancellationToken);
    }

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        asked.Enqueue(new DnsQuestion(name, family == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A));
        return inner.LookupAddressesAsync(name, family, cancellationToken);
    }

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken)
    {
        asked.Enqueue(new DnsQuestion(name, DnsRecordType.MX));
        return inner.LookupMxAsync(name, cancellationToken);
    }

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken)
    {
        asked.Enqueue(new DnsQuestion(name, DnsRecordType.APL));
        return inner.LookupAplAsync(name, cancellationToken);
    }

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        asked.Enqueue(new DnsQuestion(DnsName.ReverseName(address), DnsRecordType.PTR));
        return inner.LookupPtrAsync(address, cancellationToken);
    }
}
