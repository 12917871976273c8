using System.Text;

namespace Vouch.Server.Milter;

/// <summary>Header text as the milter protocol carries it: name and value apart, folded with a bare LF and a tab; the authserv-id of an Authentication-Results value.</summary>
public static class MilterHeaderText
{
    // RFC 5322 §2.1.1: lines of at most 998 characters; fold well before that.
    private const int FoldAt = 900;

    /// <summary>A field written "Name: value" as its name and its value (the MTA adds the space after the colon), folded when long.</summary>
    public static (string Name, string Value) Split(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (field, "") : (field[..colon], Fold(field[(colon + 1)..].TrimStart(' ')));
    }

    /// <summary>
    /// <paramref name="value"/> with a line break before a space wherever a line would pass 900 characters; the
    /// milter documentation (smfi_insheader) folds with "\n" and whitespace, never CR.
    /// </summary>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= FoldAt)
        {
            return value;
        }

        var folded = new StringBuilder(value.Length + 16);
        var lineStart = 0;
        while (value.Length - lineStart > FoldAt)
        {
            var space = value.LastIndexOf(' ', lineStart + FoldAt, FoldAt);
            if (space <= lineStart)
            {
                break; // One word longer than a line: left whole rather than broken inside.
            }

            folded.Append(value, lineStart, space - lineStart).Append("\n\t");
            lineStart = space + 1;
        }

        return folded.Append(value, lineStart, value.Length - lineStart).ToString();
    }

    /// <summary>
    /// The authserv-id an Authentication-Results value starts with (RFC 8601 §2.2: optional CFWS, then a token or
    /// a quoted-string), without a trailing dot; null when there is none to read.
    /// </summary>
    public static string? AuthservIdOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = SkipFoldingWhiteSpaceAndComments(value, 0);
        if (at >= value.Length)
        {
            return null;
        }

        string id;
        if (value[at] == '"')
        {
            var text = new StringBuilder();
            for (at++; at < value.Length && value[at] != '"'; at++)
            {
                if (value[at] == '\\' && at + 1 < value.Length)
                {
                    at++;
                }

                text.Append(value[at]);
            }

            id = text.ToString();
        }
        else
        {
            var end = at;
            while (end < value.Length && IsTokenCharacter(value[end]))
            {
                end++;
            }

            id = value[at..end];
        }

        id = id.Trim().TrimEnd('.');
        return id.Length == 0 ? null : id;
    }

    private static int SkipFoldingWhiteSpaceAndComments(string value, int at)
    {
        var depth = 0;
        for (; at < value.Length; at++)
        {
            var c = value[at];
            if (depth > 0)
            {
                if (c == '\\')
                {
                    at++;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth--;
                }
            }
            else if (c == '(')
            {
                depth = 1;
            }
            else if (c is not (' ' or '\t' or '\r' or '\n'))
            {
                return at;
            }
        }

        return at;
    }

    // RFC 2045 §5.1: any printable character except SPACE and tspecials (UTF-8 taken as printable, so that no id escapes the comparison).
    private static bool IsTokenCharacter(char c) => c > ' ' && c != (char)127 && "()<>@,;:\\\"/[]?=".IndexOf(c, StringComparison.Ordinal) < 0;
}
