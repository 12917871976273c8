namespace Vouch.Spf;

/// <summary><c>include:domain-spec</c>: matches when the named domain's policy passes the client (RFC 7208 §5.2).</summary>
/// <param name="Domain">The domain-spec.</param>
public sealed record IncludeMechanism(MacroString Domain) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "include";

    /// <inheritdoc />
    public override bool CountsTowardLookupLimit => true;
}
