using System.Net;
using System.Net.Sockets;
using Vouch.Network;

namespace Vouch.Spf;

/// <summary>The RFC 7208 §4.5–§7.1 grammar, one method per ABNF rule.</summary>
internal static class SpfRecordParser
{
    /// <summary><c>record = version terms *SP</c>; <c>terms = *( 1*SP ( directive / modifier ) )</c>.</summary>
    public static bool TryParseRecord(string text, out SpfRecord? record, out SpfSyntaxError? error)
    {
        record = null;
        if (!SpfRecord.HasSpfVersion(text))
        {
            error = new SpfSyntaxError(1, $"record does not start with '{SpfRecord.Version}' followed by a space");
            return false;
        }

        var directives = new List<SpfDirective>();
        var modifiers = new List<SpfModifier>();
        SpfModifier? redirect = null;
        SpfModifier? explanation = null;
        var position = SpfRecord.Version.Length;
        while (position < text.Length)
        {
            // Terms are separated by spaces only (§4.6.1); any other character belongs to a term and fails there.
            if (text[position] == ' ')
            {
                position++;
                continue;
            }

            var end = text.IndexOf(' ', position);
            if (end < 0)
            {
                end = text.Length;
            }

            var term = text[position..end];
            var column = position + 1;
            if (TryReadModifierName(term, out var name))
            {
                if (!TryParseModifier(term, name, column, out var modifier, out error))
                {
                    return false;
                }

                if (modifier!.Name.Equals("redirect", StringComparison.OrdinalIgnoreCase))
                {
                    if (redirect is not null)
                    {
                        error = new SpfSyntaxError(column, "second 'redirect' modifier, expected at most one (RFC 7208 §6)");
                        return false;
                    }

                    redirect = modifier;
                }
                else if (modifier.Name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    if (explanation is not null)
                    {
                        error = new SpfSyntaxError(column, "second 'exp' modifier, expected at most one (RFC 7208 §6)");
                        return false;
                    }

                    explanation = modifier;
                }

                modifiers.Add(modifier);
            }
            else
            {
                if (!TryParseDirective(term, column, out var directive, out error))
                {
                    return false;
                }

                directives.Add(directive!);
            }

            position = end;
        }

        error = null;
        record = new SpfRecord(text, directives, modifiers, redirect, explanation);
        return true;
    }

    /// <summary>
    /// A term is a modifier when it starts with <c>name "="</c>, <c>name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )</c>.
    /// A mechanism name is followed by ':', '/' or the end, never by '='.
    /// </summary>
    private static bool TryReadModifierName(string term, out string name)
    {
        name = "";
        if (term.Length == 0 || !char.IsAsciiLetter(term[0]))
        {
            return false;
        }

        for (var i = 1; i < term.Length; i++)
        {
            var c = term[i];
            if (c == '=')
            {
                name = term[..i];
                return true;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary><c>modifier = redirect / explanation / unknown-modifier</c>.</summary>
    private static bool TryParseModifier(string term, string name, int column, out SpfModifier? modifier, out SpfSyntaxError? error)
    {
        modifier = null;
        var valueColumn = column + name.Length + 1;
        var value = term[(name.Length + 1)..];
        var isKnown = name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase);
        MacroString? parsed;
        if (isKnown)
        {
            // redirect = "redirect" "=" domain-spec; explanation = "exp" "=" domain-spec
            if (!TryParseDomainSpec(value, valueColumn, name, out parsed, out error))
            {
                return false;
            }
        }
        else if (!MacroString.TryParse(value, valueColumn, isExplanation: true, out parsed, out error))
        {
            // unknown-modifier = name "=" macro-string: ignored, but its syntax must hold (§6).
            return false;
        }

        modifier = new SpfModifier(name, parsed!, term, column);
        error = null;
        return true;
    }

    /// <summary><c>directive = [ qualifier ] mechanism</c>; <c>qualifier = "+" / "-" / "?" / "~"</c>.</summary>
    private static bool TryParseDirective(string term, int column, out SpfDirective? directive, out SpfSyntaxError? error)
    {
        directive = null;
        var qualifier = SpfQualifier.Pass;
        var start = 0;
        if (term.Length > 0 && term[0] is '+' or '-' or '~' or '?')
        {
            qualifier = term[0] switch
            {
                '-' => SpfQualifier.Fail,
                '~' => SpfQualifier.SoftFail,
                '?' => SpfQualifier.Neutral,
                _ => SpfQualifier.Pass,
            };
            start = 1;
        }

        var nameEnd = term.IndexOfAny([':', '/'], start);
        if (nameEnd < 0)
        {
            nameEnd = term.Length;
        }

        var name = term[start..nameEnd];
        var rest = term[nameEnd..];
        var restColumn = column + nameEnd;
        SpfMechanism? mechanism;
        switch (name.ToLowerInvariant())
        {
            case "all":
                if (!ExpectNothing(rest, restColumn, "all", out error))
                {
                    return false;
                }

                mechanism = new AllMechanism();
                break;
            case "include":
                if (!TryParseRequiredDomainSpec(rest, restColumn, "include", out var includeDomain, out error))
                {
                    return false;
                }

                mechanism = new IncludeMechanism(includeDomain!);
                break;
            case "exists":
                if (!TryParseRequiredDomainSpec(rest, restColumn, "exists", out var existsDomain, out error))
                {
                    return false;
                }

                mechanism = new ExistsMechanism(existsDomain!);
                break;
            case "a":
            case "mx":
                if (!TryParseDualCidrLength(rest, restColumn, out var domainPart, out var ip4Length, out var ip6Length, out error) ||
                    !TryParseOptionalDomainSpec(domainPart, restColumn, name, out var target, out error))
                {
                    return false;
                }

                mechanism = name.Length == 1 ? new AMechanism(target, ip4Length, ip6Length) : new MxMechanism(target, ip4Length, ip6Length);
                break;
            case "ptr":
                if (!TryParseOptionalDomainSpec(rest, restColumn, "ptr", out var ptrDomain, out error))
                {
                    return false;
                }

                mechanism = new PtrMechanism(ptrDomain);
                break;
            case "ip4":
                if (!TryParseIpNetwork(rest, restColumn, isIPv6: false, out mechanism, out error))
                {
                    return false;
                }

                break;
            case "ip6":
                if (!TryParseIpNetwork(rest, restColumn, isIPv6: true, out mechanism, out error))
                {
                    return false;
                }

                break;
            default:
                error = new SpfSyntaxError(column + start, name.Length == 0
                    ? $"'{term}' has no mechanism name, expected all, include, a, mx, ptr, ip4, ip6 or exists"
                    : $"unknown mechanism '{name}', expected all, include, a, mx, ptr, ip4, ip6, exists or a modifier name=value");
                return false;
        }

        directive = new SpfDirective(qualifier, mechanism!, term, column);
        error = null;
        return true;
    }

    private static bool ExpectNothing(string rest, int column, string mechanism, out SpfSyntaxError? error)
    {
        error = rest.Length == 0 ? null : new SpfSyntaxError(column, $"'{rest}' after '{mechanism}', expected nothing");
        return error is null;
    }

    /// <summary><c>":" domain-spec</c>, required (include, exists).</summary>
    private static bool TryParseRequiredDomainSpec(string rest, int column, string mechanism, out MacroString? domain, out SpfSyntaxError? error)
    {
        domain = null;
        if (rest.Length == 0 || rest[0] != ':')
        {
            error = new SpfSyntaxError(column, $"'{mechanism}' without a domain, expected '{mechanism}:domain'");
            return false;
        }

        return TryParseDomainSpec(rest[1..], column + 1, mechanism, out domain, out error);
    }

    /// <summary><c>[ ":" domain-spec ]</c> (a, mx, ptr).</summary>
    private static bool TryParseOptionalDomainSpec(string rest, int column, string mechanism, out MacroString? domain, out SpfSyntaxError? error)
    {
        domain = null;
        if (rest.Length == 0)
        {
            error = null;
            return true;
        }

        if (rest[0] != ':')
        {
            error = new SpfSyntaxError(column, $"'{rest}' after '{mechanism}', expected ':domain' or a prefix length");
            return false;
        }

        return TryParseDomainSpec(rest[1..], column + 1, mechanism, out domain, out error);
    }

    /// <summary><c>domain-spec = macro-string domain-end</c> (§7.1).</summary>
    private static bool TryParseDomainSpec(string text, int column, string term, out MacroString? domain, out SpfSyntaxError? error)
    {
        domain = null;
        if (text.Length == 0)
        {
            error = new SpfSyntaxError(column, $"empty domain after '{term}', expected a domain name");
            return false;
        }

        if (!MacroString.TryParse(text, column, isExplanation: false, out domain, out error))
        {
            return false;
        }

        var problem = domain!.CheckDomainEnd();
        if (problem is not null)
        {
            domain = null;
            error = new SpfSyntaxError(column, problem);
            return false;
        }

        return true;
    }

    /// <summary>
    /// <c>dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]</c>, read from the end of the term;
    /// <paramref name="remainder"/> is what precedes it. A '/' elsewhere is a macro-literal of the domain-spec
    /// ("a:foo:bar/baz.example.com" is valid, RFC 7208 §7.1).
    /// </summary>
    private static bool TryParseDualCidrLength(string rest, int column, out string remainder, out int ip4Length, out int ip6Length, out SpfSyntaxError? error)
    {
        ip4Length = 32;
        ip6Length = 128;
        remainder = rest;
        error = null;
        var doubleSlash = remainder.LastIndexOf("//", StringComparison.Ordinal);
        if (doubleSlash >= 0 && IsAllDigits(remainder.AsSpan(doubleSlash + 2)))
        {
            if (!TryParseCidrLength(remainder[(doubleSlash + 2)..], 128, column + doubleSlash + 1, "ip6", out ip6Length, out error))
            {
                return false;
            }

            remainder = remainder[..doubleSlash];
        }

        var slash = remainder.LastIndexOf('/');
        if (slash >= 0 && IsAllDigits(remainder.AsSpan(slash + 1)))
        {
            if (!TryParseCidrLength(remainder[(slash + 1)..], 32, column + slash, "ip4", out ip4Length, out error))
            {
                return false;
            }

            remainder = remainder[..slash];
        }

        return true;
    }

    /// <summary>
    /// <c>ip4-cidr-length = "/" ( "0" / %x31-39 0*1DIGIT )</c>, <c>ip6-cidr-length = "/" ( "0" / %x31-39 0*2DIGIT )</c>:
    /// no leading zeros, and within the address width.
    /// </summary>
    private static bool TryParseCidrLength(string digits, int maximum, int column, string family, out int length, out SpfSyntaxError? error)
    {
        length = 0;
        if (digits.Length == 0 || (digits.Length > 1 && digits[0] == '0') || digits.Length > 3 ||
            !int.TryParse(digits, out length) || length > maximum)
        {
            error = new SpfSyntaxError(column, $"{family} prefix length '/{digits}', expected 0–{maximum} without leading zeros");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// <c>ip4 = "ip4" ":" ip4-network [ ip4-cidr-length ]</c> and
    /// <c>ip6 = "ip6" ":" ip6-network [ ip6-cidr-length ]</c>, the IPv6 network in RFC 4291 §2.2 text form.
    /// Stricter than <see cref="AddressPrefix.TryParse(string, out AddressPrefix, out string)"/>, as the RFC's grammar
    /// is: the family is the mechanism's, and a length has no leading zeros.
    /// </summary>
    private static bool TryParseIpNetwork(string rest, int column, bool isIPv6, out SpfMechanism? mechanism, out SpfSyntaxError? error)
    {
        var name = isIPv6 ? "ip6" : "ip4";
        mechanism = null;
        if (rest.Length < 2 || rest[0] != ':')
        {
            error = new SpfSyntaxError(column, $"'{name}' without a network, expected '{(isIPv6 ? "ip6:2001:db8::/32" : "ip4:192.0.2.0/24")}'");
            return false;
        }

        var body = rest[1..];
        var slash = body.IndexOf('/', StringComparison.Ordinal);
        var networkText = slash < 0 ? body : body[..slash];
        var maximum = isIPv6 ? 128 : 32;
        var length = maximum;
        IPAddress? address;
        if (!(isIPv6 ? IPAddressText.TryParseIPv6(networkText, out address) : IPAddressText.TryParseIPv4(networkText, out address)))
        {
            error = new SpfSyntaxError(column + 1, isIPv6
                ? $"'{networkText}' is not an IPv6 address, expected e.g. 2001:db8::1"
                : $"'{networkText}' is not an IPv4 address, expected four decimal numbers 0–255 without leading zeros");
            return false;
        }

        if (slash >= 0 && !TryParseCidrLength(body[(slash + 1)..], maximum, column + 1 + slash, name, out length, out error))
        {
            return false;
        }

        var network = new AddressPrefix(address!, length);
        mechanism = isIPv6 ? new Ip6Mechanism(network) : new Ip4Mechanism(network);
        error = null;
        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
