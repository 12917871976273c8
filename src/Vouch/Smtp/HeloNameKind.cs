namespace Vouch.Smtp;

/// <summary>What the argument of HELO or EHLO turned out to be.</summary>
public enum HeloNameKind
{
    /// <summary>A domain by RFC 5321 §4.1.2's <c>Domain</c> rule (letters, digits, inner hyphens; possibly one label).</summary>
    Domain,

    /// <summary>An address literal (RFC 5321 §4.1.3): <c>[192.0.2.1]</c>, <c>[IPv6:2001:db8::1]</c> or a general one.</summary>
    AddressLiteral,

    /// <summary>No HELO was given (Postfix's <c>smtpd_helo_required = no</c> allows that) or it was empty.</summary>
    Missing,

    /// <summary>Anything else: spaces, a bare address, underscores, an empty label, over 255 octets.</summary>
    Malformed,
}
