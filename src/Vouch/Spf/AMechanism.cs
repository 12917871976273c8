namespace Vouch.Spf;

/// <summary><c>a[:domain-spec][dual-cidr-length]</c>: matches an address of the target name (RFC 7208 §5.3).</summary>
/// <param name="Domain">The domain-spec; null means the current domain.</param>
/// <param name="Ip4PrefixLength">The IPv4 prefix length, 0–32 (default 32).</param>
/// <param name="Ip6PrefixLength">The IPv6 prefix length, 0–128 (default 128).</param>
public sealed record AMechanism(MacroString? Domain, int Ip4PrefixLength, int Ip6PrefixLength) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "a";

    /// <inheritdoc />
    public override bool CountsTowardLookupLimit => true;
}
