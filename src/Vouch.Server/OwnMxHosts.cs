using System.Net;
using Vouch.Dns;

namespace Vouch.Server;

/// <summary>
/// The MX hosts of our own domains: a backup MX relays mail to the primary, which must not judge that mail
/// again, since the backup already did. Their addresses are looked up through the checks' resolver, so they
/// follow the DNS and are cached by TTL. Thread-safe.
/// </summary>
public sealed class OwnMxHosts(IDnsResolver resolver, IReadOnlyList<string> domains)
{
    /// <summary>At most this many MX hosts per domain are looked at, as in MX registration.</summary>
    private const int MaxHostsPerDomain = 10;

    private readonly IDnsResolver resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    private readonly IReadOnlyList<string> domains = domains ?? throw new ArgumentNullException(nameof(domains));

    /// <summary>True when there are no domains, so <see cref="FindAsync"/> never asks DNS.</summary>
    public bool IsEmpty => domains.Count == 0;

    /// <summary>
    /// The MX host of one of our domains that has <paramref name="client"/>'s address, as "host (MX of domain)",
    /// or null. DNS trouble counts as "not ours": the mail is then checked like any other.
    /// </summary>
    public async Task<string?> FindAsync(IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var domain in domains)
        {
            var mx = await resolver.LookupMxAsync(domain, cancellationToken).ConfigureAwait(false);
            foreach (var host in mx.Records.Take(MaxHostsPerDomain))
            {
                // RFC 7505: a Null MX ("." at preference 0) names no host.
                if (host.Exchange.Length == 0 || host.Exchange == ".")
                {
                    continue;
                }

                var addresses = await resolver.LookupAddressesAsync(host.Exchange, client.AddressFamily, cancellationToken).ConfigureAwait(false);
                if (addresses.Records.Any(client.Equals))
                {
                    return $"{DnsName.Normalize(host.Exchange)} (MX of {domain})";
                }
            }
        }

        return null;
    }
}
