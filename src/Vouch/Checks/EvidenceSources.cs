using Vouch.Configuration;
using Vouch.Lists;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>The checks every request's evidence comes from, made once per configuration. Thread-safe.</summary>
internal sealed class EvidenceSources(
    SpfChecker spf,
    FcrdnsCheck fcrdns,
    MxRegistrationCheck registration,
    RmxCheck rmx,
    LocalLists localLists,
    DnsListChecker dnsLists,
    PublicSuffixList suffixes,
    VouchConfiguration configuration,
    ReputationStateMap? reputation)
{
    /// <summary>The in-memory reputation map, or null when reputation is off.</summary>
    public ReputationStateMap? Reputation { get; } = reputation;

    public SpfChecker Spf { get; } = spf;

    public FcrdnsCheck Fcrdns { get; } = fcrdns;

    public MxRegistrationCheck Registration { get; } = registration;

    public RmxCheck Rmx { get; } = rmx;

    public LocalLists LocalLists { get; } = localLists;

    public DnsListChecker DnsLists { get; } = dnsLists;

    public PublicSuffixList Suffixes { get; } = suffixes;

    public VouchConfiguration Configuration { get; } = configuration;

    /// <summary>Whether the lists match domains, so that they wait for the owner and the confirmed PTR names.</summary>
    public bool ListsReadDomains { get; } = localLists.ReadsDomains || dnsLists.ReadsDomains;

    /// <summary>Whether the lists ask no DNS question at all: no DNS lists, and local entries for addresses only.</summary>
    public bool ListsAskNothing { get; } = !localLists.ReadsDomains && configuration.Lists.DnsLists.Count == 0;

    /// <summary>Whether there are no lists at all, so that nothing can be listed.</summary>
    public bool ListsAreEmpty { get; } = configuration.Lists.DnsLists.Count == 0 && configuration.Lists.AllowAddresses.Count == 0 && configuration.Lists.BlockAddresses.Count == 0
        && configuration.Lists.AllowDomains.Count == 0 && configuration.Lists.BlockDomains.Count == 0;
}
