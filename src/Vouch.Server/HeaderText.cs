using System.Text;

namespace Vouch.Server;

/// <summary>Makes untrusted text (HELO, sender, DNS data) safe inside one header field line (RFC 5322).</summary>
public static class HeaderText
{
    /// <summary>A quoted-string: printable ASCII, with '"' and '\' escaped; anything else dropped.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder("\"", value.Length + 2);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c is >= ' ' and <= '~')
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Text safe inside a comment: printable ASCII without parentheses or backslashes.</summary>
    public static string Comment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new([.. value.Where(c => c is >= ' ' and <= '~' and not '(' and not ')' and not '\\')]);
    }
}
