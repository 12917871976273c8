using System.Globalization;
using System.Net.Sockets;
using Vouch.Network;

namespace Vouch.Configuration;

/// <summary>Reads networks written in the configuration strictly: "192.0.2.0/24", "2001:db8::/32", or one address.</summary>
internal static class AddressPrefixText
{
    /// <summary>
    /// Reads "address/length" or a single address (a /32 or /128). The address is read by <see cref="IPAddressText"/>,
    /// which refuses the odd forms <see cref="System.Net.IPAddress.TryParse(string?, out System.Net.IPAddress?)"/> accepts.
    /// </summary>
    public static bool TryParse(string text, out AddressPrefix prefix, out string problem)
    {
        prefix = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddressText.TryParse(slash < 0 ? text : text.AsSpan(0, slash), out var address))
        {
            problem = $"'{text}' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)";
            return false;
        }

        var width = address!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = width;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > width))
        {
            problem = $"'{text}' has a bad prefix length; expected /0 to /{width} for an {(width == 32 ? "IPv4" : "IPv6")} network";
            return false;
        }

        prefix = new AddressPrefix(address, length);
        problem = "";
        return true;
    }

    /// <summary>Reads an IPv4 network only, for DNS list answers, which are A records (RFC 5782 §2.1).</summary>
    public static bool TryParseIPv4(string text, out AddressPrefix prefix, out string problem)
    {
        if (!TryParse(text, out prefix, out problem))
        {
            return false;
        }

        if (prefix.Family != AddressFamily.InterNetwork)
        {
            problem = $"'{text}' is an IPv6 network; DNS list answers are A records, so expected an IPv4 network such as 127.0.0.0/8";
            return false;
        }

        return true;
    }
}
