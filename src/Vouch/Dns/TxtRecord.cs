namespace Vouch.Dns;

/// <summary>
/// One TXT resource record: its character-strings kept apart, as the wire carries them, so a consumer
/// can join them as its protocol says (RFC 7208 §3.3: concatenated without spaces).
/// </summary>
public sealed class TxtRecord
{
    private string? joined;

    /// <summary>Creates a record from its character-strings (each at most 255 octets on the wire).</summary>
    public TxtRecord(IReadOnlyList<string> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        Strings = strings;
    }

    /// <summary>The character-strings of the record, in order. May be empty (a malformed but possible record).</summary>
    public IReadOnlyList<string> Strings { get; }

    /// <summary>The strings concatenated with nothing between them.</summary>
    public string Text => joined ??= Strings.Count == 1 ? Strings[0] : string.Concat(Strings);

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', Strings.Select(s => "\"" + s + "\""));
}
