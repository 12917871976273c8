using System.Net;
using Vouch.Dns;

namespace Vouch.Smtp;

/// <summary>
/// The MAIL FROM argument as the client sent it, read into what it is: the null path of a bounce, a
/// mailbox, or malformed. Reading never refuses: any text gives a value. A malformed one is still split at
/// its last '@', so SPF can judge the domain it names (RFC 7208 §4.3), and keeps its text as evidence.
/// </summary>
public sealed class ReversePath
{
    /// <summary>The longest address kept: a path has at most 256 octets with its angle brackets (RFC 5321 §4.5.3.1.3); longer text is cut and malformed.</summary>
    public const int MaxLength = 254;

    private ReversePath(ReversePathKind kind, string text, string localPart, string domain, string? domainName, IPAddress? literal, string? problem)
    {
        Kind = kind;
        Text = text;
        LocalPart = localPart;
        Domain = domain;
        DomainName = domainName;
        DomainLiteral = literal;
        Problem = problem;
    }

    /// <summary>The null reverse-path, &lt;&gt;.</summary>
    public static ReversePath Null { get; } = new(ReversePathKind.Null, "", "", "", null, null, null);

    /// <summary>What it is.</summary>
    public ReversePathKind Kind { get; }

    /// <summary>The address as received, without angle brackets ("" for the null path), cut to <see cref="MaxLength"/> characters.</summary>
    public string Text { get; }

    /// <summary>The text before the last '@' ("" when there is none), as received, cut with <see cref="Text"/>.</summary>
    public string LocalPart { get; }

    /// <summary>The text after the last '@' (the whole text when there is none), as received. Never cut: a domain over 255 octets is malformed instead.</summary>
    public string Domain { get; }

    /// <summary>The domain, lower case, when it is a domain by RFC 5321 §4.1.2 (not an address literal); otherwise null.</summary>
    public string? DomainName { get; }

    /// <summary>The address of an IPv4 or IPv6 address-literal domain (<c>user@[192.0.2.1]</c>); otherwise null.</summary>
    public IPAddress? DomainLiteral { get; }

    /// <summary>For a malformed path: what is wrong, in words; otherwise null.</summary>
    public string? Problem { get; }

    /// <summary>True for the null reverse-path of a bounce.</summary>
    public bool IsNull => Kind == ReversePathKind.Null;

    /// <summary>
    /// Reads the MAIL FROM argument: with or without its angle brackets; null, "" and "&lt;&gt;" are
    /// <see cref="Null"/>. The local part may be in Postfix's internal form, a quoted string without its
    /// quotes (<c>john doe@example.net</c> for <c>"john doe"@example.net</c>): any printable ASCII.
    /// </summary>
    public static ReversePath Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Null;
        }

        if (text.Length >= 2 && text[0] == '<' && text[^1] == '>')
        {
            text = text[1..^1];
            if (text.Length == 0)
            {
                return Null;
            }
        }

        // No '@': the text is read as a domain without a local part, postmaster@text (RFC 7208 §4.3).
        var at = text.LastIndexOf('@');
        var whole = text.Length > MaxLength ? text[..MaxLength] : text;
        var localPart = at < 0 ? "" : text[..Math.Min(at, MaxLength)];
        var domain = text[(at + 1)..];
        string? domainName = null;
        IPAddress? literal = null;
        string? problem;
        if (domain.Length == 0)
        {
            problem = "nothing after '@': expected a domain";
        }
        else if (domain[0] == '[')
        {
            problem = SmtpGrammar.TryParseAddressLiteral(domain, out literal) ? null : $"domain '{domain}' begins with '[' but is not an address literal";
        }
        else if (SmtpGrammar.IsDomain(domain))
        {
            domainName = DnsName.Normalize(domain);
            problem = null;
        }
        else
        {
            problem = domain.Length > SmtpGrammar.MaxDomainLength
                ? $"domain of {domain.Length} characters; RFC 5321 §4.5.3.1.2 allows {SmtpGrammar.MaxDomainLength}"
                : $"domain '{domain}' is not a domain name (letters, digits and hyphens between dots)";
        }

        problem ??= (at < 0 ? "no '@': read as a domain without a local part (RFC 7208 §4.3)" : null)
            ?? LocalPartProblem(text.AsSpan(0, at)) ?? (text.Length > MaxLength ? $"{text.Length} characters; RFC 5321 §4.5.3.1.3 allows {MaxLength} between the angle brackets" : null);
        return new ReversePath(problem is null ? ReversePathKind.Mailbox : ReversePathKind.Malformed, whole, localPart, domain, domainName, literal, problem);
    }

    /// <summary>
    /// What is wrong with a local part, or null. RFC 5321 §4.1.2 <c>Local-part = Dot-string / Quoted-string</c>;
    /// Postfix passes quoted strings unquoted, so any printable ASCII is taken as a quoted string's content.
    /// </summary>
    private static string? LocalPartProblem(ReadOnlySpan<char> localPart)
    {
        if (localPart.Length == 0)
        {
            return "nothing before '@': expected a local part (SPF reads it as postmaster, RFC 7208 §4.3)";
        }

        if (localPart.Length > SmtpGrammar.MaxLocalPartLength)
        {
            return $"local part of {localPart.Length} characters; RFC 5321 §4.5.3.1.1 allows {SmtpGrammar.MaxLocalPartLength}";
        }

        if (SmtpGrammar.IsLocalPart(localPart))
        {
            return null;
        }

        foreach (var c in localPart)
        {
            if (!SmtpGrammar.IsPrintable(c))
            {
                return c > '~' ? "non-ASCII characters in the local part" : "control characters in the local part";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
