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

    /// <summary>Closes the network resolver's sockets, if there is one.</summary>
    public ValueTask DisposeAsync() => network?.DisposeAsync() ?? ValueTask.CompletedTask;
}
