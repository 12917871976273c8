using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Integration;

/// <summary>Counts the questions that reach the resolver it wraps.</summary>
internal sealed class CountingResolver(IDnsResolver inner) : IDnsResolver
{
    private int queries;

    public int Queries => Volatile.Read(ref queries);

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        return inner.LookupTxtAsync(name, cancellationToken);
    }

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        return inner.LookupAddressesAsync(name, family, cancellationToken);
    }

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        return inner.LookupMxAsync(name, cancellationToken);
    }

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        return inner.LookupAplAsync(name, cancellationToken);
    }

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        return inner.LookupPtrAsync(address, cancellationToken);
    }
}
