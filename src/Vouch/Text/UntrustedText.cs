using System.Buffers;
using System.Globalization;
using System.Text;

namespace Vouch.Text;

/// <summary>
/// Makes text that came from an SMTP client or from DNS (HELO names, senders, TXT records, policy
/// attributes) safe where it goes: an SMTP reply or reason, a header field, a log line, a terminal. Every
/// front end uses these, so each place has exactly one rule. Each returns the text itself when it is
/// already clean (the usual case, on every decision).
/// </summary>
public static class UntrustedText
{
    private const int MaxLogLength = 300;

    private static readonly string PrintableAscii = new([.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)]);

    // The characters each place keeps, searched vectorised: the log fields run on every decision.
    private static readonly SearchValues<char> CommentCharacters = SearchValues.Create(PrintableAscii.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal));
    private static readonly SearchValues<char> TokenCharacters = SearchValues.Create("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> FieldCharacters = SearchValues.Create(PrintableAscii.Replace(" ", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal));
    private static readonly SearchValues<char> QuotedCharacters = SearchValues.Create(PrintableAscii.Replace("\"", "", StringComparison.Ordinal));
    private static readonly SearchValues<char> TextCharacters = SearchValues.Create(PrintableAscii);

    /// <summary>
    /// One line of printable ASCII at most <paramref name="maxLength"/> long, anything else a space, trimmed:
    /// for SMTP replies (RFC 5321 §4.2 text is ASCII on one line) and the reasons that go into them.
    /// </summary>
    public static string Line(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var head = text.AsSpan(0, Math.Min(text.Length, maxLength));
        if (!head.ContainsAnyExceptInRange(' ', '~'))
        {
            return head.Trim().Length == text.Length ? text : head.Trim().ToString();
        }

        var builder = new StringBuilder(head.Length);
        foreach (var c in head)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : ' ');
        }

        return builder.ToString().Trim();
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters with every control character (CR, LF, C1, …) a space,
    /// trimmed; null when nothing is left. Other characters are kept: for texts that are shown (a DNS list's
    /// TXT reason) before <see cref="Line"/> makes a reply of them.
    /// </summary>
    public static string? WithoutControls(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text, 0, Math.Min(text.Length, maxLength), Math.Min(text.Length, maxLength));
        for (var i = 0; i < builder.Length; i++)
        {
            if (char.IsControl(builder[i]))
            {
                builder[i] = ' ';
            }
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>A header quoted-string (RFC 5322 §3.2.4): printable ASCII, with '"' and '\' escaped; anything else dropped.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(text.Length + 2);
        AppendQuoted(quoted, text);
        return quoted.ToString();
    }

    /// <summary>
    /// <see cref="Quote"/> appended to <paramref name="destination"/>: the same text, without a string of its own
    /// (a header built in one buffer).
    /// </summary>
    internal static void AppendQuoted(StringBuilder destination, string text)
    {
        destination.Append('"');
        if (!text.AsSpan().ContainsAny('"', '\\') && !text.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            destination.Append(text);
        }
        else
        {
            foreach (var c in text)
            {
                if (c is '"' or '\\')
                {
                    destination.Append('\\').Append(c);
                }
                else if (c is >= ' ' and <= '~')
                {
                    destination.Append(c);
                }
            }
        }

        destination.Append('"');
    }

    /// <summary><see cref="Comment"/> appended to <paramref name="destination"/>, without a string of its own.</summary>
    internal static void AppendComment(StringBuilder destination, string text)
    {
        if (text.AsSpan().IndexOfAnyExcept(CommentCharacters) < 0)
        {
            destination.Append(text);
            return;
        }

        foreach (var c in text)
        {
            if (CommentCharacters.Contains(c))
            {
                destination.Append(c);
            }
        }
    }

    /// <summary>Text inside a header comment (RFC 5322 §3.2.2): printable ASCII without parentheses or backslashes.</summary>
    public static string Comment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kept(text, text.Length, CommentCharacters);
    }

    /// <summary>A header token: letters, digits, '.' and '-' only (an authserv-id, RFC 8601 §2.2).</summary>
    public static string Token(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kept(text, text.Length, TokenCharacters);
    }

    /// <summary>
    /// A log field written as <c>key=value</c>: at most 300 characters of printable ASCII without spaces or
    /// quotes, so a line stays one parseable line whatever a client sent.
    /// </summary>
    public static string LogField(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kept(text, MaxLogLength, FieldCharacters);
    }

    /// <summary>A log value written as <c>key="value"</c>: as <see cref="LogField"/>, with spaces kept.</summary>
    public static string LogQuoted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kept(text, MaxLogLength, QuotedCharacters);
    }

    /// <summary>Free log text at the end of a line: at most 300 characters of printable ASCII, quotes kept.</summary>
    public static string LogText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kept(text, MaxLogLength, TextCharacters);
    }

    /// <summary>The first <paramref name="maxLength"/> characters for an error message, anything not printable ASCII as '?'.</summary>
    public static string Excerpt(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new([.. text.Take(maxLength).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
    }

    /// <summary>
    /// Text as a terminal can show it: control characters (C0, DEL, C1: an escape sequence a client or a DNS
    /// record sent) as \xNN, everything else as it is, so what was sent is seen and nothing acts on the terminal.
    /// </summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange('\0', '\x1f') && !text.AsSpan().ContainsAnyInRange('\x7f', '\x9f'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = char.IsControl(c)
                ? builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}")
                : builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>At most <paramref name="maxLength"/> characters of <paramref name="text"/>, those not in <paramref name="keep"/> dropped.</summary>
    private static string Kept(string text, int maxLength, SearchValues<char> keep)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, maxLength));
        if (head.IndexOfAnyExcept(keep) < 0)
        {
            return head.Length == text.Length ? text : head.ToString();
        }

        var kept = new StringBuilder(head.Length);
        foreach (var c in head)
        {
            if (keep.Contains(c))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }
}
