using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vouch.Spf;

/// <summary>
/// A parsed macro string (RFC 7208 §7.1). Parsing checks the syntax once; <see cref="Expand"/> only substitutes.
/// </summary>
public sealed class MacroString
{
    private const string Delimiters = ".-+,/_=";

    private MacroString(string text, IReadOnlyList<MacroSegment> segments)
    {
        Text = text;
        Segments = segments;
        HasMacros = segments.Any(s => s.IsMacro);
        UsesValidatedName = segments.Any(s => s.Letter == 'p');
    }

    /// <summary>The text as written in the record.</summary>
    public string Text { get; }

    /// <summary>The literal and macro pieces, in order.</summary>
    public IReadOnlyList<MacroSegment> Segments { get; }

    /// <summary>True when any piece is a macro-expand; false for plain text.</summary>
    public bool HasMacros { get; }

    /// <summary>True when %{p} occurs: expansion then needs the client's validated name, which costs DNS queries.</summary>
    public bool UsesValidatedName { get; }

    /// <summary>True when the last piece is a macro-expand (a domain-spec may then end without a top label).</summary>
    public bool EndsWithMacro => Segments.Count > 0 && Segments[^1].IsMacro;

    /// <summary>
    /// Parses <c>macro-string = *( macro-expand / macro-literal )</c>, or <c>explain-string = *( macro-string / SP )</c>
    /// when <paramref name="isExplanation"/> (which also allows the letters c, r and t, §7.2).
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="column">The 1-based column of <paramref name="text"/> in its record, for error positions.</param>
    /// <param name="isExplanation">True for explanation text.</param>
    /// <param name="result">The parsed string, or null.</param>
    /// <param name="error">What is wrong, or null.</param>
    public static bool TryParse(string text, int column, bool isExplanation, out MacroString? result, out SpfSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<MacroSegment>();
        var literal = new StringBuilder();
        result = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                // macro-literal = %x21-24 / %x26-7E; explain-string also allows SP.
                if (c is < '!' or > '~' && !(isExplanation && c == ' '))
                {
                    error = new SpfSyntaxError(column + i, $"character U+{(int)c:X4} is not allowed, expected a visible ASCII character");
                    return false;
                }

                literal.Append(c);
                continue;
            }

            if (i + 1 >= text.Length)
            {
                error = new SpfSyntaxError(column + i, "'%' at the end, expected '%{', '%%', '%_' or '%-'");
                return false;
            }

            var next = text[i + 1];
            switch (next)
            {
                case '%':
                    literal.Append('%');
                    i++;
                    continue;
                case '_':
                    literal.Append(' ');
                    i++;
                    continue;
                case '-':
                    literal.Append("%20");
                    i++;
                    continue;
                case '{':
                    break;
                default:
                    error = new SpfSyntaxError(column + i, $"'%{next}' is not a macro, expected '%{{', '%%', '%_' or '%-'");
                    return false;
            }

            if (!TryParseMacroExpand(text, ref i, column, isExplanation, out var segment, out error))
            {
                return false;
            }

            if (literal.Length > 0)
            {
                segments.Add(MacroSegment.ForLiteral(literal.ToString()));
                literal.Clear();
            }

            segments.Add(segment!);
        }

        if (literal.Length > 0)
        {
            segments.Add(MacroSegment.ForLiteral(literal.ToString()));
        }

        error = null;
        result = new MacroString(text, segments);
        return true;
    }

    /// <summary>
    /// Parses <c>"%{" macro-letter transformers *delimiter "}"</c> starting at <paramref name="index"/> (the '%');
    /// on success <paramref name="index"/> is left on the closing brace.
    /// </summary>
    private static bool TryParseMacroExpand(string text, ref int index, int column, bool isExplanation, out MacroSegment? segment, out SpfSyntaxError? error)
    {
        segment = null;
        var start = index;
        var close = text.IndexOf('}', index + 2);
        if (close < 0)
        {
            error = new SpfSyntaxError(column + start, "'%{' without a closing '}'");
            return false;
        }

        var body = text.AsSpan(index + 2, close - index - 2);
        if (body.Length == 0)
        {
            error = new SpfSyntaxError(column + start, "empty macro '%{}', expected a macro letter");
            return false;
        }

        var letter = char.ToLowerInvariant(body[0]);
        var allowed = isExplanation ? "slodiphcrtv" : "slodiphv";
        if (!allowed.Contains(letter, StringComparison.Ordinal))
        {
            var hint = "crt".Contains(letter, StringComparison.Ordinal) ? " (c, r and t are allowed only in explanations, RFC 7208 §7.2)" : "";
            error = new SpfSyntaxError(column + start + 2, $"unknown macro letter '{body[0]}'{hint}, expected one of {allowed}");
            return false;
        }

        var position = 1;
        var digitsStart = position;
        while (position < body.Length && char.IsAsciiDigit(body[position]))
        {
            position++;
        }

        var rightmostParts = 0;
        if (position > digitsStart)
        {
            // RFC 7208 §7.3: a DIGIT transformer must be at least one; large values keep every part.
            if (!int.TryParse(body[digitsStart..position], NumberStyles.None, CultureInfo.InvariantCulture, out rightmostParts))
            {
                rightmostParts = int.MaxValue;
            }

            if (rightmostParts == 0)
            {
                error = new SpfSyntaxError(column + start + 2 + digitsStart, "macro transformer 0, expected a number of parts of at least 1");
                return false;
            }
        }

        var reverse = false;
        if (position < body.Length && (body[position] == 'r' || body[position] == 'R'))
        {
            reverse = true;
            position++;
        }

        var delimiters = body[position..];
        foreach (var delimiter in delimiters)
        {
            if (!Delimiters.Contains(delimiter, StringComparison.Ordinal))
            {
                error = new SpfSyntaxError(column + start + 2 + position, $"'{delimiter}' in macro '%{{{body}}}', expected a delimiter ({Delimiters}) or '}}'");
                return false;
            }
        }

        segment = MacroSegment.ForMacro(letter, char.IsAsciiLetterUpper(body[0]), rightmostParts, reverse, delimiters.Length == 0 ? null : delimiters.ToString());
        index = close;
        error = null;
        return true;
    }

    /// <summary>
    /// Checks <c>domain-spec = macro-string domain-end</c>,
    /// <c>domain-end = ( "." toplabel [ "." ] ) / macro-expand</c> (RFC 7208 §7.1).
    /// </summary>
    /// <returns>null when valid, otherwise what is wrong.</returns>
    public string? CheckDomainEnd()
    {
        if (EndsWithMacro)
        {
            return null;
        }

        if (Segments.Count == 0)
        {
            return "empty domain, expected a domain name";
        }

        var last = Segments[^1].Literal!;
        var end = last.EndsWith('.') ? last[..^1] : last;
        var dot = end.LastIndexOf('.');
        if (dot < 0)
        {
            return $"'{Text}' has no top label after a dot, expected a domain name such as example.com";
        }

        var topLabel = end.AsSpan(dot + 1);
        return IsTopLabel(topLabel) ? null : $"'{topLabel}' is not a valid top label in '{Text}', expected letters, digits and inner hyphens, not all digits";
    }

    /// <summary><c>toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )</c>.</summary>
    private static bool IsTopLabel(ReadOnlySpan<char> label)
    {
        if (label.Length == 0 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1]))
        {
            return false;
        }

        var hasLetter = false;
        var hasHyphen = false;
        foreach (var c in label)
        {
            if (char.IsAsciiLetter(c))
            {
                hasLetter = true;
            }
            else if (c == '-')
            {
                hasHyphen = true;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return hasLetter || hasHyphen;
    }

    /// <summary>Expands the macros with the values in <paramref name="context"/> (RFC 7208 §7.3).</summary>
    public string Expand(MacroContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HasMacros)
        {
            return Segments.Count == 0 ? "" : Segments.Count == 1 ? Segments[0].Literal! : string.Concat(Segments.Select(s => s.Literal));
        }

        var builder = new StringBuilder(Text.Length + 32);
        foreach (var segment in Segments)
        {
            if (!segment.IsMacro)
            {
                builder.Append(segment.Literal);
                continue;
            }

            var value = LetterValue(segment.Letter, context);
            var transformed = segment.RightmostParts == 0 && !segment.Reverse && segment.Delimiters is null
                ? value
                : Transform(value, segment);
            if (segment.UrlEscape)
            {
                AppendUrlEscaped(builder, transformed);
            }
            else
            {
                builder.Append(transformed);
            }
        }

        return builder.ToString();
    }

    private static string LetterValue(char letter, MacroContext context) => letter switch
    {
        's' => context.Sender,
        'l' => context.LocalPart,
        'o' => context.SenderDomain,
        'd' => context.Domain,
        'i' => DottedAddress(context.Address),
        'p' => context.ValidatedName ?? "unknown",
        'h' => context.Helo,
        'v' => context.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'c' => context.Address.ToString(),
        'r' => context.ReceivingHost,
        't' => context.Timestamp.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>%{i}: dotted quad for IPv4, 32 dot-separated nibbles for IPv6 (§7.3).</summary>
    private static string DottedAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        Span<char> nibbles = stackalloc char[63];
        const string hex = "0123456789abcdef";
        for (var i = 0; i < 32; i++)
        {
            var b = bytes[i / 2];
            nibbles[i * 2] = hex[i % 2 == 0 ? b >> 4 : b & 0xF];
            if (i < 31)
            {
                nibbles[(i * 2) + 1] = '.';
            }
        }

        return new string(nibbles);
    }

    /// <summary>Splits on the delimiters, reverses if asked, keeps the rightmost parts, joins with dots (§7.3).</summary>
    private static string Transform(string value, MacroSegment segment)
    {
        var parts = value.Split((segment.Delimiters ?? ".").ToCharArray());
        if (segment.Reverse)
        {
            Array.Reverse(parts);
        }

        var keep = segment.RightmostParts == 0 ? parts.Length : Math.Min(segment.RightmostParts, parts.Length);
        return string.Join('.', parts, parts.Length - keep, keep);
    }

    /// <summary>URL-escapes everything outside RFC 3986's unreserved set (§7.3).</summary>
    private static void AppendUrlEscaped(StringBuilder builder, string value)
    {
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
