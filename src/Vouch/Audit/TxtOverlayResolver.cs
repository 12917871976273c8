using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Audit;

/// <summary>
/// The DNS as it would be once some TXT records are replaced: the audit's proposed fixes, re-audited before they are
/// published. The names in <paramref name="replaced"/> answer the given TXT records; everything else is asked of
/// <paramref name="inner"/>.
/// </summary>
/// <param name="inner">The DNS as it is.</param>
/// <param name="replaced">The new TXT record set of each changed name (lower case, no trailing dot).</param>
public sealed class TxtOverlayResolver(IDnsResolver inner, IReadOnlyDictionary<string, IReadOnlyList<TxtRecord>> replaced) : IDnsResolver
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    /// <inheritdoc/>
    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        replaced.TryGetValue(name.TrimEnd('.').ToLowerInvariant(), out var records)
            ? ValueTask.FromResult(DnsAnswer<TxtRecord>.FromRecords(records, Ttl))
            : inner.LookupTxtAsync(name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) => inner.LookupAddressesAsync(name, family, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) => inner.LookupMxAsync(name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) => inner.LookupAplAsync(name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => inner.LookupPtrAsync(address, cancellationToken);
}
