namespace Vouch.Spf;

/// <summary>
/// A parsed SPF record (RFC 7208 §4.5, §4.6): its directives in order and its modifiers. Immutable and
/// reusable across checks; parsing reads the whole record, so a syntax error anywhere is found before any
/// DNS query (§4.6).
/// </summary>
public sealed class SpfRecord
{
    /// <summary>The version tag every SPF record starts with (§4.5), compared case-insensitively.</summary>
    public const string Version = "v=spf1";

    internal SpfRecord(string text, IReadOnlyList<SpfDirective> directives, IReadOnlyList<SpfModifier> modifiers, SpfModifier? redirect, SpfModifier? explanation)
    {
        Text = text;
        Directives = directives;
        Modifiers = modifiers;
        Redirect = redirect;
        Explanation = explanation;
        HasAll = directives.Any(d => d.Mechanism is AllMechanism);
    }

    /// <summary>The record text as published.</summary>
    public string Text { get; }

    /// <summary>The directives, in the order they are evaluated.</summary>
    public IReadOnlyList<SpfDirective> Directives { get; }

    /// <summary>Every modifier, including ones Vouch does not know (which are ignored, §6).</summary>
    public IReadOnlyList<SpfModifier> Modifiers { get; }

    /// <summary>The <c>redirect=</c> modifier, or null.</summary>
    public SpfModifier? Redirect { get; }

    /// <summary>The <c>exp=</c> modifier, or null.</summary>
    public SpfModifier? Explanation { get; }

    /// <summary>True when the record has an "all" mechanism; a redirect is then ignored (§6.1).</summary>
    public bool HasAll { get; }

    /// <summary>
    /// True when <paramref name="text"/> is an SPF record by its version: "v=spf1" (any case) followed by a
    /// space or the end (§4.5).
    /// </summary>
    public static bool HasSpfVersion(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.StartsWith(Version, StringComparison.OrdinalIgnoreCase) && (text.Length == Version.Length || text[Version.Length] == ' ');
    }

    /// <summary>Parses a whole record, version tag included.</summary>
    /// <param name="text">The record, its TXT strings already joined.</param>
    /// <param name="record">The record, or null.</param>
    /// <param name="error">The first syntax error, with its column, or null.</param>
    /// <returns>True when the record is valid.</returns>
    public static bool TryParse(string text, out SpfRecord? record, out SpfSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SpfRecordParser.TryParseRecord(text, out record, out error);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
