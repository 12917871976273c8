using System.Buffers;

namespace Vouch.Dns.Zones;

/// <summary>
/// Splits master-file text into entries (RFC 1035 §5.1): one line each, or several lines joined by
/// parentheses, with comments removed and fields split at blanks. Quoted strings and backslash escapes
/// are delimited here; their decoding is left to <see cref="ZoneFileReader"/>, which knows each field's role.
/// </summary>
internal sealed class ZoneFileTokenizer
{
    // What ends an unquoted field, or starts an escape inside it.
    private static readonly SearchValues<char> UnquotedSpecials = SearchValues.Create(" \t\r\n;()\"\\");

    // What ends a quoted string (a line end is an error), or starts an escape inside it.
    private static readonly SearchValues<char> QuotedSpecials = SearchValues.Create("\"\\\r\n");

    private readonly string text;
    private readonly string fileName;
    private int position;
    private int line = 1;

    /// <summary>Reads <paramref name="text"/>; <paramref name="fileName"/> names it in errors.</summary>
    public ZoneFileTokenizer(string text, string fileName)
    {
        this.text = text;
        this.fileName = fileName;
        position = text.StartsWith('\uFEFF') ? 1 : 0;
    }

    /// <summary>
    /// Reads the next entry's fields into <paramref name="tokens"/>, skipping lines that hold only blanks
    /// and comments. <paramref name="startsWithBlank"/> tells whether the entry's first line begins with
    /// a space or tab, which leaves the owner out (RFC 1035 §5.1).
    /// </summary>
    /// <returns>False at the end of the text.</returns>
    /// <exception cref="ZoneFileException">Unbalanced parentheses, an unterminated quoted string or a bad escape.</exception>
    public bool ReadEntry(List<ZoneFileToken> tokens, out bool startsWithBlank)
    {
        tokens.Clear();
        startsWithBlank = false;
        var depth = 0;
        var openLine = 0;
        var lineStartsWithBlank = position < text.Length && text[position] is ' ' or '\t';
        while (position < text.Length)
        {
            var c = text[position];
            switch (c)
            {
                case '\n':
                    position++;
                    line++;
                    if (depth == 0)
                    {
                        if (tokens.Count > 0)
                        {
                            return true;
                        }

                        lineStartsWithBlank = position < text.Length && text[position] is ' ' or '\t';
                    }

                    break;
                case ' ' or '\t' or '\r':
                    position++;
                    break;
                case ';':
                    SkipComment();
                    break;
                case '(':
                    // RFC 1035 §5.1: parentheses continue an entry over line boundaries.
                    if (depth == 0)
                    {
                        openLine = line;
                    }

                    depth++;
                    position++;
                    break;
                case ')':
                    if (depth == 0)
                    {
                        throw new ZoneFileException(fileName, line, "unbalanced ')'");
                    }

                    depth--;
                    position++;
                    break;
                case '"':
                    if (tokens.Count == 0)
                    {
                        startsWithBlank = lineStartsWithBlank;
                    }

                    tokens.Add(ReadQuoted());
                    break;
                default:
                    if (tokens.Count == 0)
                    {
                        startsWithBlank = lineStartsWithBlank;
                    }

                    tokens.Add(ReadUnquoted());
                    break;
            }
        }

        if (depth > 0)
        {
            throw new ZoneFileException(fileName, openLine, "unbalanced '(': no ')' before the end of the file");
        }

        return tokens.Count > 0;
    }

    private void SkipComment()
    {
        var end = text.IndexOf('\n', position);
        position = end < 0 ? text.Length : end;
    }

    private ZoneFileToken ReadUnquoted()
    {
        var start = position;
        var hasEscape = false;
        while (true)
        {
            var offset = text.AsSpan(position).IndexOfAny(UnquotedSpecials);
            position = offset < 0 ? text.Length : position + offset;
            if (position == text.Length || text[position] != '\\')
            {
                return new ZoneFileToken(text.AsMemory(start, position - start), line, IsQuoted: false, hasEscape);
            }

            // RFC 1035 §5.1: "\X" quotes the next character, so it never ends the field.
            SkipEscape();
            hasEscape = true;
        }
    }

    private ZoneFileToken ReadQuoted()
    {
        var startLine = line;
        var start = ++position;
        var hasEscape = false;
        while (true)
        {
            var offset = text.AsSpan(position).IndexOfAny(QuotedSpecials);
            if (offset < 0 || text[position + offset] is '\n' or '\r')
            {
                throw new ZoneFileException(fileName, startLine, "unterminated quoted string");
            }

            position += offset;
            if (text[position] == '"')
            {
                var token = new ZoneFileToken(text.AsMemory(start, position - start), startLine, IsQuoted: true, hasEscape);
                position++;
                return token;
            }

            SkipEscape();
            hasEscape = true;
        }
    }

    private void SkipEscape()
    {
        if (position + 1 >= text.Length || text[position + 1] is '\n' or '\r')
        {
            throw new ZoneFileException(fileName, line, "'\\' at the end of a line; expected a character or three digits after it");
        }

        position += 2;
    }
}
