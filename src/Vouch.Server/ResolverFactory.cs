using System.Net;
using Vouch.Configuration;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Dns.Zones;
using Vouch.Network;

namespace Vouch.Server;

/// <summary>
/// Builds the resolver a command uses. --zone only: the zone files answer everything (offline).
/// --dns only, or neither: the network (the given servers, else the configuration's, else /etc/resolv.conf) behind a shared cache.
/// Both: names inside the zones from the zones, the rest from the network.
/// The caller owns the setup and disposes it (the network resolver's sockets).
/// </summary>
public static class ResolverFactory
{
    /// <summary>Builds the resolver for <paramref name="zoneFiles"/> and <paramref name="dnsServers"/> under <paramref name="configuration"/>.</summary>
    /// <param name="zoneFiles">Zone files whose names they answer.</param>
    /// <param name="dnsServers">DNS servers replacing the configuration's.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="cancellationToken">Stops the loading.</param>
    /// <param name="zonesShadowNetwork">With zone files and no servers, ask the network for the names outside them instead of answering everything from the zones.</param>
    /// <exception cref="SetupException">A zone file cannot be read or parsed, or a --dns value is malformed.</exception>
    public static async Task<ResolverSetup> CreateAsync(IReadOnlyList<string> zoneFiles, IReadOnlyList<string> dnsServers, VouchConfiguration configuration, CancellationToken cancellationToken, bool zonesShadowNetwork = false)
    {
        ArgumentNullException.ThrowIfNull(zoneFiles);
        ArgumentNullException.ThrowIfNull(dnsServers);
        ArgumentNullException.ThrowIfNull(configuration);
        ZoneResolver? zone = null;
        if (zoneFiles.Count > 0)
        {
            var data = new ZoneData();
            foreach (var file in zoneFiles)
            {
                try
                {
                    await data.LoadFileAsync(file, null, cancellationToken).ConfigureAwait(false);
                }
                catch (ZoneFileException exception)
                {
                    throw new SetupException($"zone file {exception.Message}");
                }
            }

            zone = new ZoneResolver(data);
            if (dnsServers.Count == 0 && !zonesShadowNetwork)
            {
                return new ResolverSetup(zone, null, null);
            }
        }

        // --dns on the command line replaces the configuration's servers.
        var servers = new List<IPEndPoint>();
        foreach (var server in dnsServers)
        {
            servers.Add(EndpointText.TryParse(server, 53, out var endpoint, out var error)
                ? endpoint!
                : throw new SetupException($"--dns: {error}"));
        }

        var networkOptions = servers.Count > 0 ? configuration.Dns with { Servers = servers } : configuration.Dns;
        NetworkResolver resolver;
        try
        {
            resolver = new NetworkResolver(networkOptions);
        }
        catch (InvalidOperationException exception)
        {
            throw new SetupException($"no DNS server to ask: {exception.Message}; give --dns HOST[:PORT] or --zone FILE");
        }

        var network = new CachingResolver(resolver, configuration.Cache);
        return new ResolverSetup(zone is null ? network : new ZoneFirstResolver(zone, network), network, resolver);
    }
}
