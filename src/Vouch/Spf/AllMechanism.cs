namespace Vouch.Spf;

/// <summary><c>all</c>: always matches (RFC 7208 §5.1).</summary>
public sealed record AllMechanism : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "all";
}
