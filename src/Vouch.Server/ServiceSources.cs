namespace Vouch.Server;

/// <summary>
/// What a checker is built from, as a person gave it: the configuration file (null: the defaults), zone
/// files, and DNS servers as HOST[:PORT] (replacing the configuration's), and the front end it answers for
/// (which headers its checks gather evidence for). A reload reads them all again.
/// </summary>
public sealed record ServiceSources(string? ConfigurationPath, IReadOnlyList<string> ZoneFiles, IReadOnlyList<string> DnsServers, FrontEnd FrontEnd = FrontEnd.PolicyService)
{
    /// <summary>
    /// Zone files shadow the network for the names they hold even without <see cref="DnsServers"/> (the
    /// configuration's or the system's servers answer the rest): <c>vouch audit</c>'s what-if. False (the default):
    /// zone files alone answer everything, offline.
    /// </summary>
    public bool ZonesShadowNetwork { get; init; }

    /// <summary>The defaults: no configuration file, no zone files, the configured (or the system's) DNS servers.</summary>
    public static ServiceSources Defaults { get; } = new(null, [], []);
}
