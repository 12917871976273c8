using System.Net;
using Vouch.Network;

namespace Vouch.Smtp;

/// <summary>What Vouch is asked about: the connecting client, the HELO name it gave, and the envelope sender, each as received.</summary>
/// <param name="Client">The SMTP client's IP address (an IPv4-mapped IPv6 address as IPv4, see <see cref="Create"/>).</param>
/// <param name="Sender">The MAIL FROM argument, read: the null path, a mailbox, or malformed.</param>
/// <param name="Helo">The HELO/EHLO argument, read: a domain, an address literal, missing, or malformed.</param>
public sealed record CheckRequest(IPAddress Client, ReversePath Sender, HeloName Helo)
{
    /// <summary>
    /// The client's host name as the MTA already verified it (PTR, then a forward lookup that includes the
    /// client: Postfix's <c>client_name</c>), or null to look it up. When given, FCrDNS takes it as the
    /// confirmed name and asks no PTR question.
    /// </summary>
    public string? ConfirmedClientName { get; init; }

    /// <summary>
    /// A request from what the SMTP client sent. Any text is judged: <paramref name="sender"/> and
    /// <paramref name="helo"/> are read, never refused (null or "" sender: a bounce; null or "" HELO: none given).
    /// </summary>
    /// <param name="client">The client's address; an IPv4-mapped IPv6 address is taken as IPv4.</param>
    /// <param name="sender">The MAIL FROM address, with or without angle brackets.</param>
    /// <param name="helo">The HELO/EHLO argument.</param>
    public static CheckRequest Create(IPAddress client, string? sender, string? helo)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new CheckRequest(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, ReversePath.Parse(sender), HeloName.Parse(helo));
    }

    /// <summary>Reads the client address: IPv4 dotted quad or IPv6; an IPv4-mapped IPv6 address becomes IPv4.</summary>
    /// <param name="text">The address text.</param>
    /// <param name="client">The address, or null.</param>
    /// <param name="problem">What is wrong and what was expected ("ip: ..."), or null.</param>
    public static bool TryParseClient(string? text, out IPAddress? client, out string? problem)
    {
        client = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "ip: missing, expected an IPv4 or IPv6 address";
            return false;
        }

        if (!IPAddressText.TryParse(text, out var address))
        {
            problem = $"ip: '{text}' is not an IP address, expected IPv4 (192.0.2.1) or IPv6 (2001:db8::1)";
            return false;
        }

        client = address!.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        problem = null;
        return true;
    }
}
