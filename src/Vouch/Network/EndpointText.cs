using System.Globalization;
using System.Net;

namespace Vouch.Network;

/// <summary>Reads "address[:port]" endpoints: "127.0.0.1", "127.0.0.1:5353", "::1", "[::1]:5353".</summary>
public static class EndpointText
{
    /// <summary>Reads an endpoint whose host is an IP address (no names: resolving the resolver's own name would need a resolver).</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="defaultPort">The port when none is given.</param>
    /// <param name="endpoint">The endpoint, or null.</param>
    /// <param name="error">What is wrong and what was expected, or null.</param>
    public static bool TryParse(string text, int defaultPort, out IPEndPoint? endpoint, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null;
        var host = text;
        var port = defaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                error = $"'{text}' is not an address, expected [IPv6]:port such as [::1]:53";
                return false;
            }

            host = text[1..close];
            if (close + 1 < text.Length && !TryParsePort(text[(close + 2)..], out port))
            {
                error = $"'{text}' has a bad port, expected 1–65535";
                return false;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            if (!TryParsePort(text[(colon + 1)..], out port))
            {
                error = $"'{text}' has a bad port, expected 1–65535";
                return false;
            }
        }

        if (!IPAddressText.TryParse(host, out var address))
        {
            error = $"'{text}' is not an address, expected an IP address with an optional port, such as 127.0.0.1:53 or [::1]:53";
            return false;
        }

        endpoint = new IPEndPoint(address!, port);
        error = null;
        return true;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
