namespace Vouch.Rmx;

/// <summary>Settings of the RMX check; every default is stated.</summary>
public sealed record RmxOptions
{
    /// <summary>Whether RMX records are looked up at all. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>DNS-querying entries (host, apl, domain, mx) evaluated per check; more is BadData. Default 10, as SPF's limit.</summary>
    public int MaxDnsEntries { get; init; } = 10;

    /// <summary>MX hosts an "mx:" entry looks up. Default 10.</summary>
    public int MaxMxHosts { get; init; } = 10;
}
