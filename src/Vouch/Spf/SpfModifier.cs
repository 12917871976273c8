namespace Vouch.Spf;

/// <summary>A modifier <c>name=macro-string</c> (RFC 7208 §4.6.1, §6): redirect, exp, or one Vouch ignores (§6).</summary>
/// <param name="Name">The modifier's name, as written.</param>
/// <param name="Value">The value, parsed as a macro string.</param>
/// <param name="Text">The term as written.</param>
/// <param name="Column">The 1-based column of the term in the record.</param>
public sealed record SpfModifier(string Name, MacroString Value, string Text, int Column)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
