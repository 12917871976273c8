using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>A resolver that never answers and ignores cancellation: the worst a deadline must survive.</summary>
internal sealed class SilentResolver : IDnsResolver
{
    private readonly TaskCompletionSource never = new();
    private int queries;

    public int Queries => Volatile.Read(ref queries);

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) => Wait<TxtRecord>();

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) => Wait<IPAddress>();

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) => Wait<MxRecord>();

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) => Wait<AplItem>();

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => Wait<string>();

    private async ValueTask<DnsAnswer<T>> Wait<T>()
    {
        Interlocked.Increment(ref queries);
        await never.Task;
        throw new InvalidOperationException("never answers");
    }
}
