namespace Vouch.Spf;

/// <summary><c>mx[:domain-spec][dual-cidr-length]</c>: matches an address of one of the target's MX hosts (RFC 7208 §5.4).</summary>
/// <param name="Domain">The domain-spec; null means the current domain.</param>
/// <param name="Ip4PrefixLength">The IPv4 prefix length, 0–32 (default 32).</param>
/// <param name="Ip6PrefixLength">The IPv6 prefix length, 0–128 (default 128).</param>
public sealed record MxMechanism(MacroString? Domain, int Ip4PrefixLength, int Ip6PrefixLength) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "mx";

    /// <inheritdoc />
    public override bool CountsTowardLookupLimit => true;
}
