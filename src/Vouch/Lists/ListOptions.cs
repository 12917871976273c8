using Vouch.Network;

namespace Vouch.Lists;

/// <summary>Local allow and block lists, and DNS lists. Every default is empty: nothing is listed until configured.</summary>
public sealed record ListOptions
{
    /// <summary>Client addresses or networks always trusted (white).</summary>
    public IReadOnlyList<AddressPrefix> AllowAddresses { get; init; } = [];

    /// <summary>Domains always trusted; an entry covers its subdomains. Matched against the owner, MAIL FROM domain, HELO name and confirmed PTR names.</summary>
    public IReadOnlyList<string> AllowDomains { get; init; } = [];

    /// <summary>Client addresses or networks always refused (black).</summary>
    public IReadOnlyList<AddressPrefix> BlockAddresses { get; init; } = [];

    /// <summary>Domains refused (known spammers); an entry covers its subdomains. Matched like <see cref="AllowDomains"/>.</summary>
    public IReadOnlyList<string> BlockDomains { get; init; } = [];

    /// <summary>DNSBLs and RHSBLs to consult.</summary>
    public IReadOnlyList<DnsListDefinition> DnsLists { get; init; } = [];

    /// <summary>
    /// How often each DNS list is self-tested (RFC 5782 §5 test points) after the test at start. Default 15 minutes;
    /// must be positive and at most 49 days. Also the least time between two warnings about one list's odd answers.
    /// </summary>
    public TimeSpan SelfTestInterval { get; init; } = TimeSpan.FromMinutes(15);
}
