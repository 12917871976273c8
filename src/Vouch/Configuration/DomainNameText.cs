using System.Globalization;
using System.Text;
using Vouch.Dns;

namespace Vouch.Configuration;

/// <summary>Reads domain names written in the configuration: ASCII (letters, digits, '-', '_') or internationalized.</summary>
internal static class DomainNameText
{
    /// <summary>
    /// Reads a domain name into Vouch's form: lower case, no trailing dot, an IDN converted to its A-labels
    /// ("bücher.example" → "xn--bcher-kva.example", RFC 5891). One trailing dot is allowed; an empty label is not.
    /// </summary>
    public static bool TryParse(string text, out string domain, out string problem)
    {
        domain = "";
        var name = text.EndsWith('.') ? text[..^1] : text;
        var ascii = Ascii.IsValid(name);
        if (!ascii && !TryConvertToAscii(text, ref name, out problem))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problem = $"'{text}' has the character '{c}'; a domain name has letters, digits, '-', '_' and dots";
                return false;
            }
        }

        // The DNS's own bounds (lengths, empty labels) are DnsName's; an internationalized name is measured in A-labels.
        if (!DnsName.TryParse(ascii ? text : name, out domain, out problem))
        {
            return false;
        }

        // RFC 3696 §2: a top-level label is never all digits, so "192.0.2" is a mistyped address, not a name.
        if (domain[(domain.LastIndexOf('.') + 1)..].All(char.IsAsciiDigit))
        {
            problem = $"'{text}' is not a domain name (its last label is all digits) nor an IP address";
            domain = "";
            return false;
        }

        return true;
    }

    // IdnMapping under invariant globalization (as Vouch runs) only Punycode-encodes: no case mapping, no NFC, no
    // IDNA2008 checks. So this folds case and admits only letters, marks and digits (roughly RFC 5892 PVALID).
    // Decomposed (NFD) text is not composed: names must be written as typed (NFC) or as A-labels.
    private static bool TryConvertToAscii(string text, ref string name, out string problem)
    {
        problem = "";
        var mapped = name.ToLowerInvariant()
            .Replace('\u3002', '.').Replace('\uFF0E', '.').Replace('\uFF61', '.'); // UTS #46 §2.3: other full stops separate labels too
        foreach (var rune in mapped.EnumerateRunes())
        {
            if (!rune.IsAscii && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.DecimalDigitNumber))
            {
                problem = $"'{text}' has the character U+{rune.Value:X4}, which a domain name cannot have";
                return false;
            }
        }

        try
        {
            name = new IdnMapping().GetAscii(mapped);
            return true;
        }
        catch (ArgumentException e)
        {
            problem = $"'{text}' is not a valid internationalized domain name ({e.Message})";
            return false;
        }
    }
}
