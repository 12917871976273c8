namespace Vouch.Spf;

/// <summary><c>ptr[:domain-spec]</c>: matches when a validated reverse name of the client lies in the target (RFC 7208 §5.5; its use is discouraged).</summary>
/// <param name="Domain">The domain-spec; null means the current domain.</param>
public sealed record PtrMechanism(MacroString? Domain) : SpfMechanism
{
    /// <inheritdoc />
    public override string Name => "ptr";

    /// <inheritdoc />
    public override bool CountsTowardLookupLimit => true;
}
