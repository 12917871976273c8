using Vouch.Dns;

namespace Vouch.Cli;

/// <summary>The resolver a command uses, and the network cache inside it when there is one (for statistics).</summary>
internal sealed record ResolverSetup(IDnsResolver Resolver, CachingResolver? Cache);
