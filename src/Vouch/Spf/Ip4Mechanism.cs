using Vouch.Network;

namespace Vouch.Spf;

/// <summary><c>ip4:ip4-network[ip4-cidr-length]</c>: matches an IPv4 client inside the network (RFC 7208 §5.6).</summary>
/// <param name="Network">The network and its prefix length (default 32).</param>
public sealed record Ip4Mechanism(AddressPrefix Network) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "ip4";
}
