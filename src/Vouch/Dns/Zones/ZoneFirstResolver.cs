using System.Net;
using System.Net.Sockets;

namespace Vouch.Dns.Zones;

/// <summary>
/// Zone data first, the network for the rest: a name inside a loaded zone is answered from the zone (even
/// NXDOMAIN); any other name goes to the fallback resolver. Lets an administrator try records before
/// publishing them, against the live DNS for everything else.
/// </summary>
public sealed class ZoneFirstResolver(ZoneResolver zone, IDnsResolver fallback) : IDnsResolver
{
    /// <inheritdoc />
    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        zone.IsAuthoritativeFor(name) ? zone.LookupTxtAsync(name, cancellationToken) : fallback.LookupTxtAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        zone.IsAuthoritativeFor(name) ? zone.LookupAddressesAsync(name, family, cancellationToken) : fallback.LookupAddressesAsync(name, family, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        zone.IsAuthoritativeFor(name) ? zone.LookupMxAsync(name, cancellationToken) : fallback.LookupMxAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        zone.IsAuthoritativeFor(name) ? zone.LookupAplAsync(name, cancellationToken) : fallback.LookupAplAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        zone.IsAuthoritativeFor(DnsName.ReverseName(address)) ? zone.LookupPtrAsync(address, cancellationToken) : fallback.LookupPtrAsync(address, cancellationToken);
}
