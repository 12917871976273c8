namespace Vouch.Registration;

/// <summary>Settings of the MX-registration and FCrDNS checks; every default is stated.</summary>
public sealed record RegistrationOptions
{
    /// <summary>Treat a domain without MX records as its own mail host (its A/AAAA), as RFC 5321 §5.1 does for delivery. Default false: a domain must list its servers.</summary>
    public bool ImplicitMx { get; init; }

    /// <summary>
    /// Whether MX registration and forward-confirmed reverse DNS run (setting enabled). Default true. Off, a
    /// check is SPF (and RMX, the lists) only, as an SPF policy service does.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>When set, an MX host address within this IPv4 prefix length of the client counts as a match (e.g. 24: same /24). Default null: exact address only.</summary>
    public int? MatchPrefixLengthIPv4 { get; init; }

    /// <summary>When set, an MX host address within this IPv6 prefix length of the client counts as a match (e.g. 64). Default null: exact address only.</summary>
    public int? MatchPrefixLengthIPv6 { get; init; }

    /// <summary>MX hosts looked up per candidate domain; the rest are ignored. Default 10.</summary>
    public int MaxMxHostsPerDomain { get; init; } = 10;

    /// <summary>PTR names of the client looked at (FCrDNS); the rest are ignored. Default 10.</summary>
    public int MaxPtrNames { get; init; } = 10;

    /// <summary>DNS queries the registration check may make per request; when spent, the routes not yet tried are not proven (noted in the trace). Default 30.</summary>
    public int QueryBudget { get; init; } = 30;

    /// <summary>Where the Public Suffix List is read from (setting public_suffix_list). Default Debian's /usr/share/publicsuffix/public_suffix_list.dat.</summary>
    public string PublicSuffixListPath { get; init; } = "/usr/share/publicsuffix/public_suffix_list.dat";
}
