using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>A resolver with a bug: every lookup throws.</summary>
internal sealed class ThrowingResolver : IDnsResolver
{
    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) => throw new InvalidOperationException("resolver bug");

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) => throw new InvalidOperationException("resolver bug");

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) => throw new InvalidOperationException("resolver bug");

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) => throw new InvalidOperationException("resolver bug");

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => throw new InvalidOperationException("resolver bug");
}
