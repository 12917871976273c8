using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>
/// Holds address lookups until the expected number are in flight at once, proving they overlap. If they
/// never do, the first one is released after a generous safety timeout and <see cref="SawConcurrentLookups"/> stays false.
/// </summary>
internal sealed class GatedResolver(IDnsResolver inner, int expectedConcurrentAddressLookups) : IDnsResolver
{
    private readonly TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int inFlight;

    public bool SawConcurrentLookups { get; private set; }

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) => inner.LookupTxtAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) => inner.LookupMxAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) => inner.LookupAplAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => inner.LookupPtrAsync(address, cancellationToken);

    public async ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref inFlight) >= expectedConcurrentAddressLookups)
        {
            SawConcurrentLookups = true;
            allArrived.TrySetResult();
        }

        await Task.WhenAny(allArrived.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
        return await inner.LookupAddressesAsync(name, family, cancellationToken);
    }
}
