using Vouch.Dns;

namespace Vouch.Cli;

/// <summary>
/// The resolver a command uses, the network cache inside it when there is one (for statistics), and the
/// network resolver it owns (its sockets close on dispose).
/// </summary>
internal sealed record ResolverSetup(IDnsResolver Resolver, CachingResolver? Cache, NetworkResolver? Network) : IAsyncDisposable
{
    /// <summary>Closes the network resolver's sockets, if there is one.</summary>
    public ValueTask DisposeAsync() => Network?.DisposeAsync() ?? ValueTask.CompletedTask;
}
