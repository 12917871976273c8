using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Checks;

/// <summary>The domains an SMTP client presents: its MAIL FROM domain and its HELO name, when they are domains.</summary>
public static class MailIdentities
{
    /// <summary>The MAIL FROM domain, normalized; null for a bounce, an address without '@' or with nothing after it.</summary>
    public static string? SenderDomain(string sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var at = sender.LastIndexOf('@');
        return at < 0 || at == sender.Length - 1 ? null : DnsName.Normalize(sender[(at + 1)..]);
    }

    /// <summary>The HELO name, normalized, unless it is an address literal (RFC 5321 §4.1.3) or a bare address.</summary>
    public static string? HeloDomain(string helo)
    {
        ArgumentNullException.ThrowIfNull(helo);
        return helo.Length > 0 && helo[0] != '[' && !IPAddressText.TryParse(helo, out _) ? DnsName.Normalize(helo) : null;
    }
}
