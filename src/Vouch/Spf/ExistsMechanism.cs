namespace Vouch.Spf;

/// <summary><c>exists:domain-spec</c>: matches when the expanded name has an A record (RFC 7208 §5.7).</summary>
/// <param name="Domain">The domain-spec, usually with macros.</param>
public sealed record ExistsMechanism(MacroString Domain) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "exists";

    /// <inheritdoc />
    public override bool CountsTowardLookupLimit => true;
}
