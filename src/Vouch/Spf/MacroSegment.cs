namespace Vouch.Spf;

/// <summary>
/// One piece of a macro string (RFC 7208 §7.1): literal text, or a macro-expand
/// <c>"%{" macro-letter transformers *delimiter "}"</c>.
/// </summary>
public sealed class MacroSegment
{
    private MacroSegment(string? literal, char letter, bool urlEscape, int rightmostParts, bool reverse, string? delimiters)
    {
        Literal = literal;
        Letter = letter;
        UrlEscape = urlEscape;
        RightmostParts = rightmostParts;
        Reverse = reverse;
        Delimiters = delimiters;
    }

    /// <summary>The literal text, or null for a macro-expand.</summary>
    public string? Literal { get; }

    /// <summary>The lower-case macro letter (s l o d i p h c r t v); '\0' for a literal.</summary>
    public char Letter { get; }

    /// <summary>True when the letter was upper case: the value is URL-escaped (§7.3).</summary>
    public bool UrlEscape { get; }

    /// <summary>How many right-hand parts to keep; 0 keeps all.</summary>
    public int RightmostParts { get; }

    /// <summary>True for the "r" transformer: reverse the parts.</summary>
    public bool Reverse { get; }

    /// <summary>The characters that split the value; null means ".".</summary>
    public string? Delimiters { get; }

    /// <summary>True for a macro-expand, false for literal text.</summary>
    public bool IsMacro => Literal is null;

    /// <summary>A literal piece.</summary>
    public static MacroSegment ForLiteral(string text) => new(text, '\0', false, 0, false, null);

    /// <summary>A macro-expand piece.</summary>
    public static MacroSegment ForMacro(char letter, bool urlEscape, int rightmostParts, bool reverse, string? delimiters) =>
        new(null, letter, urlEscape, rightmostParts, reverse, delimiters);

    /// <inheritdoc />
    public override string ToString() => Literal ?? $"%{{{(UrlEscape ? char.ToUpperInvariant(Letter) : Letter)}{(RightmostParts > 0 ? RightmostParts.ToString() : "")}{(Reverse ? "r" : "")}{Delimiters}}}";
}
