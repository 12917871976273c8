using System.Net;
using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Smtp;

/// <summary>
/// The HELO/EHLO argument as the client sent it, read into what it is: a domain, an address literal,
/// missing, or malformed. Reading never refuses: any text gives a value, and a malformed one keeps its text
/// (cut to <see cref="MaxLength"/>) as evidence.
/// </summary>
public sealed class HeloName
{
    /// <summary>The longest text kept: a domain has at most 255 octets (RFC 5321 §4.5.3.1.2); longer text is cut and malformed.</summary>
    public const int MaxLength = SmtpGrammar.MaxDomainLength;

    private HeloName(HeloNameKind kind, string text, string? domainName, IPAddress? address, string? problem)
    {
        Kind = kind;
        Text = text;
        DomainName = domainName;
        Address = address;
        Problem = problem;
    }

    /// <summary>No HELO.</summary>
    public static HeloName Missing { get; } = new(HeloNameKind.Missing, "", null, null, "the client gave no HELO/EHLO name");

    /// <summary>What it is.</summary>
    public HeloNameKind Kind { get; }

    /// <summary>The text as received ("" when missing), cut to <see cref="MaxLength"/> characters.</summary>
    public string Text { get; }

    /// <summary>
    /// For <see cref="HeloNameKind.Domain"/> with at least two labels: the name, lower case; the identity SPF
    /// checks (RFC 7208 §2.3) and a registration candidate. Otherwise null.
    /// </summary>
    public string? DomainName { get; }

    /// <summary>For an IPv4 or IPv6 address literal: its address (an IPv4-mapped one as IPv4); otherwise null.</summary>
    public IPAddress? Address { get; }

    /// <summary>For missing and malformed names: what is wrong, in words; otherwise null.</summary>
    public string? Problem { get; }

    /// <summary>Reads the HELO/EHLO argument; null or "" is <see cref="Missing"/>.</summary>
    public static HeloName Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Missing;
        }

        if (text.Length > MaxLength)
        {
            return new HeloName(HeloNameKind.Malformed, text[..MaxLength], null, null, $"{text.Length} characters; a domain has at most {MaxLength} (RFC 5321 §4.5.3.1.2)");
        }

        if (text[0] == '[')
        {
            return SmtpGrammar.TryParseAddressLiteral(text, out var literal)
                ? new HeloName(HeloNameKind.AddressLiteral, text, null, literal is { IsIPv4MappedToIPv6: true } ? literal.MapToIPv4() : literal, null)
                : new HeloName(HeloNameKind.Malformed, text, null, null, "begins with '[' but is not an address literal such as [192.0.2.1] or [IPv6:2001:db8::1]");
        }

        if (IPAddressText.TryParse(text, out _))
        {
            // RFC 5321 §4.1.3: an address is given as a literal in brackets; a bare one is no domain either.
            return new HeloName(HeloNameKind.Malformed, text, null, null, $"a bare address; RFC 5321 §4.1.3 writes it as [{text}]");
        }

        if (SmtpGrammar.IsDomain(text))
        {
            var name = DnsName.Normalize(text);
            return new HeloName(HeloNameKind.Domain, text, DnsName.IsValidMultiLabel(name) ? name : null, null, null);
        }

        return new HeloName(HeloNameKind.Malformed, text, null, null, "not a domain name (letters, digits and hyphens between dots) nor an address literal");
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
