using System.Net;
using Vouch.Dns;

namespace Vouch.Registration;

/// <summary>
/// Whether the client is an MX host of one of our own domains: a backup MX relays mail to the primary, which
/// must not judge that mail again, since the backup already did. The MX hosts and their addresses are asked
/// through the checks' resolver, so they follow the DNS and are cached by TTL. Thread-safe.
/// </summary>
/// <param name="resolver">Where the questions go.</param>
/// <param name="domains">Our own domains (<c>[server] skip_domains</c>), normalized.</param>
/// <param name="options">The MX host limit per domain, shared with MX registration.</param>
public sealed class OwnMxHostCheck(IDnsResolver resolver, IReadOnlyList<string> domains, RegistrationOptions options)
{
    private readonly IDnsResolver resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    private readonly IReadOnlyList<string> domains = domains ?? throw new ArgumentNullException(nameof(domains));
    private readonly int maxHostsPerDomain = (options ?? throw new ArgumentNullException(nameof(options))).MaxMxHostsPerDomain;

    /// <summary>True when there are no domains, so <see cref="FindAsync"/> never asks DNS.</summary>
    public bool IsEmpty => domains.Count == 0;

    /// <summary>
    /// The MX host of one of our domains that has <paramref name="client"/>'s address, as "host (MX of domain)",
    /// or null. DNS trouble counts as "not ours": the mail is then checked like any other.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the check's deadline).</exception>
    public async Task<string?> FindAsync(IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var domain in domains)
        {
            var mx = await resolver.LookupMxAsync(domain, cancellationToken).ConfigureAwait(false);
            var hosts = mx.Records;
            for (var i = 0; i < hosts.Count && i < maxHostsPerDomain; i++)
            {
                // RFC 7505: a Null MX ("." at preference 0) names no host.
                var host = hosts[i];
                if (host.Exchange.Length == 0 || host.Exchange == ".")
                {
                    continue;
                }

                var addresses = await resolver.LookupAddressesAsync(host.Exchange, client.AddressFamily, cancellationToken).ConfigureAwait(false);
                if (addresses.Records.Contains(client))
                {
                    return $"{DnsName.Normalize(host.Exchange)} (MX of {domain})";
                }
            }
        }

        return null;
    }
}
