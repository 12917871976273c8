using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vouch.Dns;

/// <summary>Helpers for domain names as Vouch handles them: lower case, no trailing dot.</summary>
public static class DnsName
{
    /// <summary>The longest domain name in text form, without the trailing dot (RFC 1035 §2.3.4 less the root's length octet and dot).</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Lower-cases <paramref name="name"/> (ASCII only) and removes one trailing dot.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var end = name.Length > 0 && name[^1] == '.' ? name.Length - 1 : name.Length;
        for (var i = 0; i < end; i++)
        {
            if (char.IsAsciiLetterUpper(name[i]))
            {
                return string.Create(end, name, static (span, source) =>
                {
                    // RFC 4343 §3: only ASCII letters are case-insensitive in DNS names.
                    for (var j = 0; j < span.Length; j++)
                    {
                        span[j] = char.IsAsciiLetterUpper(source[j]) ? (char)(source[j] | 0x20) : source[j];
                    }
                });
            }
        }

        return end == name.Length ? name : name[..end];
    }

    /// <summary>
    /// Reads <paramref name="text"/> as a DNS name, as RFC 1035 §2.3.4 bounds it: one trailing dot allowed and
    /// dropped, 1 to 253 characters, no empty label, none over 63 characters; ASCII letters folded to lower case.
    /// This is the part every reader of names shares. Which characters a name may hold, how many labels it needs
    /// and what its top label may be are left to the rule of the place it is written (an SMTP domain, a
    /// configuration domain, an SPF domain-spec).
    /// </summary>
    /// <param name="text">The name as written.</param>
    /// <param name="name">The name without the trailing dot, in lower case; "" when the result is false.</param>
    /// <param name="problem">What is wrong, naming the text ("'a..example' has an empty label ..."); "" when the result is true.</param>
    /// <returns>True when the text is a DNS name.</returns>
    public static bool TryParse(string text, out string name, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var withoutDot = text.EndsWith('.') ? text.AsSpan(0, text.Length - 1) : text.AsSpan();
        if (CountLabels(withoutDot, text, out problem) == 0)
        {
            name = "";
            return false;
        }

        name = Normalize(text);
        return true;
    }

    /// <summary>
    /// True when <paramref name="name"/> (without a trailing dot) is a well-formed multi-label domain name:
    /// at most 253 characters, at least two labels, none empty, none over 63 characters.
    /// </summary>
    public static bool IsValidMultiLabel(ReadOnlySpan<char> name) => CountLabels(name, null, out _) >= 2;

    /// <summary>
    /// True when <paramref name="name"/> (without a trailing dot) can be sent as a question: 1 to 253
    /// characters, no empty label, none over 63 characters.
    /// </summary>
    public static bool IsQueryable(ReadOnlySpan<char> name) => CountLabels(name, null, out _) >= 1;

    /// <summary>
    /// The labels of a well-formed name, or 0 when it is empty, too long or has an empty or too long label;
    /// then <paramref name="problem"/> says which, naming <paramref name="text"/> (only when it is given: the
    /// checks that need no message build none).
    /// </summary>
    private static int CountLabels(ReadOnlySpan<char> name, string? text, out string problem)
    {
        problem = "";
        if (name.Length == 0)
        {
            problem = text is null ? "" : "is empty; expected a domain name such as example.org";
            return 0;
        }

        // RFC 1035 §2.3.4: 255 octets on the wire, 253 characters in text without the trailing dot.
        if (name.Length > MaxLength)
        {
            problem = text is null ? "" : $"'{text}' is {name.Length} characters long; a domain name has at most {MaxLength}";
            return 0;
        }

        var labels = 0;
        foreach (var range in name.Split('.'))
        {
            var length = range.End.Value - range.Start.Value;
            if (length == 0)
            {
                problem = text is null ? "" : $"'{text}' has an empty label (two dots in a row, or a leading dot)";
                return 0;
            }

            if (length > MaxLabelLength)
            {
                problem = text is null ? "" : $"'{text}' has a label of {length} characters; a label has at most {MaxLabelLength}";
                return 0;
            }

            labels++;
        }

        return labels;
    }

    /// <summary>True when <paramref name="name"/> equals <paramref name="domain"/> or lies below it (both normalized); every name lies below the root "".</summary>
    public static bool IsSubdomainOrSelf(string name, string domain) =>
        name.Length == domain.Length
            ? string.Equals(name, domain, StringComparison.OrdinalIgnoreCase)
            : name.Length > domain.Length &&
              (domain.Length == 0 || (name[name.Length - domain.Length - 1] == '.' && name.EndsWith(domain, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// The reverse-lookup name of <paramref name="address"/>: reversed octets under in-addr.arpa for IPv4,
    /// reversed nibbles under ip6.arpa for IPv6 (RFC 3596 §2.5).
    /// </summary>
    public static string ReverseName(IPAddress address) => ReversedLabels(address) + (address.AddressFamily == AddressFamily.InterNetwork ? ".in-addr.arpa" : ".ip6.arpa");

    /// <summary>
    /// The address as dot-separated labels in reverse order, without a suffix: "4.3.2.1" for 1.2.3.4,
    /// 32 nibbles for IPv6. Used for reverse DNS and by DNS lists (RFC 5782 §2).
    /// </summary>
    public static string ReversedLabels(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var count);
        var builder = new StringBuilder(count == 4 ? 15 : 63);
        for (var i = count - 1; i >= 0; i--)
        {
            if (count == 4)
            {
                builder.Append(bytes[i]);
            }
            else
            {
                builder.Append(HexLower[bytes[i] & 0xF]).Append('.').Append(HexLower[bytes[i] >> 4]);
            }

            if (i > 0)
            {
                builder.Append('.');
            }
        }

        return builder.ToString();
    }

    private const string HexLower = "0123456789abcdef";
}
