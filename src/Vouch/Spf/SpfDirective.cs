namespace Vouch.Spf;

/// <summary>A directive: a qualifier and a mechanism (RFC 7208 §4.6.1), with the text it was read from.</summary>
/// <param name="Qualifier">The result when the mechanism matches.</param>
/// <param name="Mechanism">The mechanism.</param>
/// <param name="Text">The term as written, e.g. "-all" or "include:_spf.example.com".</param>
/// <param name="Column">The 1-based column of the term in the record.</param>
public sealed record SpfDirective(SpfQualifier Qualifier, SpfMechanism Mechanism, string Text, int Column)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
