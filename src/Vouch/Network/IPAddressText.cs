using System.Net;
using System.Net.Sockets;

namespace Vouch.Network;

/// <summary>
/// Strict readers for IP addresses in text. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> accepts
/// forms no mail protocol means ("1.2.3" is 1.2.0.3, "0x7f.1" is 127.0.0.1, scope ids): these do not.
/// </summary>
public static class IPAddressText
{
    /// <summary>Reads a dotted quad of decimal numbers 0–255 without leading zeros (RFC 7208 §5.6 ip4-network).</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        var value = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (digits > 0 && value == 0)
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
                if (++digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && part < 3)
            {
                bytes[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (part != 3 || digits == 0)
        {
            return false;
        }

        bytes[3] = (byte)value;
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Reads an IPv6 address in RFC 4291 §2.2 text form (hex groups, "::", an embedded IPv4 tail), without a scope id.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        if (!text.Contains(':'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Reads an IPv4 or IPv6 address strictly (see the type's remarks).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress? address) =>
        TryParseIPv4(text, out address) || TryParseIPv6(text, out address);
}
