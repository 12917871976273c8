using Vouch.Dns;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;

namespace Vouch.Server;

/// <summary>
/// The resolver a command or a service generation uses, the network cache inside it when there is one (for
/// statistics), and the network resolver it owns: disposing the setup closes that resolver's sockets.
/// </summary>
public sealed class ResolverSetup(IDnsResolver resolver, CachingResolver? cache, NetworkResolver? network) : IAsyncDisposable
{
    /// <summary>The resolver the checks ask.</summary>
    public IDnsResolver Resolver { get; } = resolver ?? throw new ArgumentNullException(nameof(resolver));

    /// <summary>The cache in front of the network, or null when zone files answer everything.</summary>
    public CachingResolver? Cache { get; } = cache;

    /// <summary>Reputation (store, map, signer, ingest) when [reputation] enabled is on; null otherwise. Disposed with the rest.</summary>
    public ReputationSetup? Reputation { get; init; }

    /// <summary>The network resolver it owns, or null.</summary>
    internal NetworkResolver? Network => network;

    /// <summary>Closes the reputation store and the network resolver's sockets, if there are any.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Reputation is not null)
        {
            await Reputation.DisposeAsync().ConfigureAwait(false);
        }

        if (network is not null)
        {
            await network.DisposeAsync().ConfigureAwait(false);
        }
    }
}
