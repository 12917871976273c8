using Vouch.Network;

namespace Vouch.Spf;

/// <summary><c>ip6:ip6-network[ip6-cidr-length]</c>: matches an IPv6 client inside the network (RFC 7208 §5.6).</summary>
/// <param name="Network">The network and its prefix length (default 128).</param>
public sealed record Ip6Mechanism(AddressPrefix Network) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "ip6";
}
