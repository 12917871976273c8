using System.Net;
using Vouch.Network;

namespace Vouch.Checks;

/// <summary>What Vouch is asked about: the connecting client, the HELO name it gave, and the envelope sender.</summary>
/// <param name="Client">The SMTP client's IP address.</param>
/// <param name="Sender">The MAIL FROM address without angle brackets; "" for a bounce (null reverse-path).</param>
/// <param name="Helo">The HELO/EHLO name as the client gave it.</param>
public sealed record CheckRequest(IPAddress Client, string Sender, string Helo)
{
    /// <summary>
    /// The client's host name as the MTA already verified it (PTR, then a forward lookup that includes the
    /// client: Postfix's <c>client_name</c>), or null to look it up. When given, FCrDNS takes it as the
    /// confirmed name and asks no PTR question.
    /// </summary>
    public string? ConfirmedClientName { get; init; }

    /// <summary>Longest sender accepted: RFC 5321 §4.5.3.1.3's path limit.</summary>
    public const int MaxSenderLength = 256;

    /// <summary>Longest HELO name accepted: a domain name, or an address literal.</summary>
    public const int MaxHeloLength = 255;

    /// <summary>Validates text input (from the command line, a batch line or a policy request) into a request.</summary>
    /// <param name="ip">The client address: IPv4 dotted quad or IPv6.</param>
    /// <param name="sender">The envelope sender, possibly in angle brackets; null or "" for a bounce.</param>
    /// <param name="helo">The HELO name; must not be empty.</param>
    /// <param name="request">The request, or null.</param>
    /// <param name="error">What is wrong and what was expected, or null.</param>
    public static bool TryCreate(string? ip, string? sender, string? helo, out CheckRequest? request, out string? error)
    {
        request = null;
        if (string.IsNullOrEmpty(ip))
        {
            error = "ip: missing, expected an IPv4 or IPv6 address";
            return false;
        }

        if (!IPAddressText.TryParse(ip, out var address))
        {
            error = $"ip: '{ip}' is not an IP address, expected IPv4 (192.0.2.1) or IPv6 (2001:db8::1)";
            return false;
        }

        sender ??= "";
        if (sender.Length >= 2 && sender[0] == '<' && sender[^1] == '>')
        {
            sender = sender[1..^1];
        }

        if (sender.Length > MaxSenderLength || sender.Any(c => c is < '!' or '\x7f'))
        {
            error = sender.Length > MaxSenderLength
                ? $"sender: {sender.Length} characters, expected at most {MaxSenderLength}"
                : "sender: contains a space or control character, expected an address such as alice@example.com";
            return false;
        }

        if (string.IsNullOrEmpty(helo))
        {
            error = "helo: missing, expected the HELO/EHLO name the client gave";
            return false;
        }

        if (helo.Length > MaxHeloLength || helo.Any(c => c is < '!' or '\x7f'))
        {
            error = helo.Length > MaxHeloLength
                ? $"helo: {helo.Length} characters, expected at most {MaxHeloLength}"
                : "helo: contains a space or control character, expected a host name such as mail.example.com";
            return false;
        }

        request = new CheckRequest(address!.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, sender, helo);
        error = null;
        return true;
    }
}
