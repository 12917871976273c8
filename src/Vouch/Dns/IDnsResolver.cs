using System.Net;
using System.Net.Sockets;

namespace Vouch.Dns;

/// <summary>
/// The one door to the DNS. Checks ask through it and never open sockets themselves.
/// Names are given without a trailing dot and compared case-insensitively. Implementations never throw
/// for DNS trouble: they report it as <see cref="DnsStatus.ServerFailure"/> or <see cref="DnsStatus.Timeout"/>.
/// </summary>
public interface IDnsResolver
{
    /// <summary>Looks up the TXT records of <paramref name="name"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the A (<see cref="AddressFamily.InterNetwork"/>) or AAAA (<see cref="AddressFamily.InterNetworkV6"/>) records of <paramref name="name"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken);

    /// <summary>Looks up the MX records of <paramref name="name"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the APL records (RFC 3123) of <paramref name="name"/>: each record's items, in order, flattened.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the PTR records of <paramref name="address"/> (under in-addr.arpa or ip6.arpa); the answers are host names without trailing dots.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken);
}
