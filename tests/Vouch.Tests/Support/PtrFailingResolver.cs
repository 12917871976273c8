using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>Answers from the resolver it wraps, except PTR questions: those fail (SERVFAIL) and are counted.</summary>
internal sealed class PtrFailingResolver(IDnsResolver inner) : IDnsResolver
{
    private int ptrQueries;

    public int PtrQueries => Volatile.Read(ref ptrQueries);

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) => inner.LookupTxtAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) => inner.LookupAddressesAsync(name, family, cancellationToken);

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) => inner.LookupMxAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) => inner.LookupAplAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ptrQueries);
        return ValueTask.FromResult(DnsAnswer<string>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, "SERVFAIL (test)"));
    }
}
