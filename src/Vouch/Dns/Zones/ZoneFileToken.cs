namespace Vouch.Dns.Zones;

/// <summary>
/// One field of a zone-file entry as written: its raw text (escapes not yet decoded, quotes removed),
/// the 1-based line it is on, and whether it was quoted or holds a backslash escape.
/// </summary>
internal readonly record struct ZoneFileToken(ReadOnlyMemory<char> Raw, int Line, bool IsQuoted, bool HasEscape)
{
    /// <summary>The raw text as a span.</summary>
    public ReadOnlySpan<char> Span => Raw.Span;

    /// <summary>True when the token is exactly <paramref name="word"/> (ASCII case-insensitive), unquoted and unescaped.</summary>
    public bool IsWord(string word) => !IsQuoted && !HasEscape && Span.Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The token as written, for error messages.</summary>
    public override string ToString() => IsQuoted ? $"\"{Raw}\"" : Raw.ToString();
}
