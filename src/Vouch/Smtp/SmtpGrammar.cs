using System.Net;
using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Smtp;

/// <summary>
/// The rules of RFC 5321 §4.1.2 and §4.1.3 that Vouch reads, one method per rule, named after it. Each
/// says whether a whole span matches its rule; none allocates, none throws.
/// </summary>
internal static class SmtpGrammar
{
    /// <summary>
    /// The longest domain (RFC 5321 §4.5.3.1.2): 255 octets. SMTP's bound, kept apart from the DNS's 253 characters
    /// (<see cref="DnsName.MaxLength"/>): a HELO of 254 or 255 is still a domain by the grammar, but no DNS name.
    /// </summary>
    public const int MaxDomainLength = 255;

    /// <summary>The longest local part (RFC 5321 §4.5.3.1.1): 64 octets.</summary>
    public const int MaxLocalPartLength = 64;

    /// <summary>The longest label of a domain (RFC 1035 §2.3.4): 63 octets, as in the DNS.</summary>
    public const int MaxLabelLength = DnsName.MaxLabelLength;

    /// <summary><c>Domain = sub-domain *("." sub-domain)</c>, at most 255 octets.</summary>
    public static bool IsDomain(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > MaxDomainLength)
        {
            return false;
        }

        foreach (var range in text.Split('.'))
        {
            if (!IsSubDomain(text[range]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>sub-domain = Let-dig [Ldh-str]</c>, with <c>Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig</c>:
    /// letters, digits and inner hyphens, at most 63 octets.
    /// </summary>
    public static bool IsSubDomain(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > MaxLabelLength || !IsLetDig(text[0]) || !IsLetDig(text[^1]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsLetDig(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Let-dig = ALPHA / DIGIT</c>.</summary>
    public static bool IsLetDig(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>
    /// <c>address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"</c>.
    /// <paramref name="address"/> is the address of an IPv4 or IPv6 literal, null for a general one.
    /// </summary>
    public static bool TryParseAddressLiteral(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        if (text.Length < 3 || text[0] != '[' || text[^1] != ']')
        {
            return false;
        }

        var inner = text[1..^1];
        return TryParseIPv4AddressLiteral(inner, out address)
            || TryParseIPv6AddressLiteral(inner, out address)
            || IsGeneralAddressLiteral(inner);
    }

    /// <summary>
    /// <c>IPv4-address-literal = Snum 3("." Snum)</c>, <c>Snum = 1*3DIGIT</c> (0–255; leading zeros are
    /// allowed here, unlike in SPF's ip4).
    /// </summary>
    public static bool TryParseIPv4AddressLiteral(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        Span<byte> octets = stackalloc byte[4];
        var part = 0;
        foreach (var range in text.Split('.'))
        {
            var snum = text[range];
            if (part == 4 || snum.Length is 0 or > 3)
            {
                return false;
            }

            var value = 0;
            foreach (var c in snum)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            if (value > 255)
            {
                return false;
            }

            octets[part++] = (byte)value;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(octets);
        return true;
    }

    /// <summary><c>IPv6-address-literal = "IPv6:" IPv6-addr</c>; the tag is case-insensitive, as ABNF strings are (RFC 5234 §2.3).</summary>
    public static bool TryParseIPv6AddressLiteral(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        return text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) && IPAddressText.TryParseIPv6(text[5..], out address);
    }

    /// <summary>
    /// <c>General-address-literal = Standardized-tag ":" 1*dcontent</c>, with
    /// <c>Standardized-tag = Ldh-str</c> and <c>dcontent = %d33-90 / %d94-126</c>.
    /// </summary>
    public static bool IsGeneralAddressLiteral(ReadOnlySpan<char> text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !IsLdhStr(text[..colon]))
        {
            return false;
        }

        foreach (var c in text[(colon + 1)..])
        {
            if (c is not ((>= '!' and <= 'Z') or (>= '^' and <= '~')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig</c>.</summary>
    public static bool IsLdhStr(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || !IsLetDig(text[^1]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsLetDig(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Local-part = Dot-string / Quoted-string</c>.</summary>
    public static bool IsLocalPart(ReadOnlySpan<char> text) => IsDotString(text) || IsQuotedString(text);

    /// <summary><c>Dot-string = Atom *("." Atom)</c>.</summary>
    public static bool IsDotString(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var range in text.Split('.'))
        {
            if (!IsAtom(text[range]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Atom = 1*atext</c>.</summary>
    public static bool IsAtom(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsAtext(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>atext</c> (RFC 5322 §3.2.3): <c>ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&amp;" / "'" / "*" / "+" /
    /// "-" / "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"</c>.
    /// </summary>
    public static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '/' or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~';

    /// <summary>
    /// <c>Quoted-string = DQUOTE *QcontentSMTP DQUOTE</c>, with <c>QcontentSMTP = qtextSMTP / quoted-pairSMTP</c>,
    /// <c>quoted-pairSMTP = %d92 %d32-126</c> and <c>qtextSMTP = %d32-33 / %d35-91 / %d93-126</c>.
    /// </summary>
    public static bool IsQuotedString(ReadOnlySpan<char> text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return false;
        }

        var inner = text[1..^1];
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '\\')
            {
                if (++i == inner.Length || !IsPrintable(inner[i]))
                {
                    return false;
                }
            }
            else if (c == '"' || !IsPrintable(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>%d32-126: what a quoted string may carry (space included).</summary>
    public static bool IsPrintable(char c) => c is >= ' ' and <= '~';
}
