using System.Net;
using System.Net.Sockets;

namespace Vouch.Network;

/// <summary>
/// Where a service listens, as a person writes it in the configuration or on the command line:
/// "HOST:PORT" (an IP address; the port may be left out; "inet:HOST:PORT" as Postfix writes milters) or
/// "unix:/path/to/socket". One reader for both.
/// </summary>
public static class ListenAddress
{
    private const string UnixPrefix = "unix:";
    private const string InetPrefix = "inet:";

    /// <summary>Reads <paramref name="text"/>; <paramref name="defaultPort"/> is the port when a TCP address gives none.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="defaultPort">The port when none is given.</param>
    /// <param name="endpoint">An <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>, or null.</param>
    /// <param name="problem">What is wrong and what was expected, or "".</param>
    public static bool TryParse(string text, int defaultPort, out EndPoint? endpoint, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            var path = text[UnixPrefix.Length..];
            endpoint = path.Length > 0 ? new UnixDomainSocketEndPoint(path) : null;
            problem = endpoint is null ? "is 'unix:' without a path; expected e.g. unix:/run/vouch/policy.sock" : "";
            return endpoint is not null;
        }

        if (text.StartsWith(InetPrefix, StringComparison.Ordinal))
        {
            text = text[InetPrefix.Length..];
        }

        var valid = EndpointText.TryParse(text, defaultPort, out var address, out var error);
        endpoint = address;
        problem = valid ? "" : $"{error} (or unix:/path)";
        return valid;
    }

    /// <summary>The endpoint as it is written: "unix:/path", "127.0.0.1:10040" or "[::1]:10040".</summary>
    public static string ToText(EndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint is UnixDomainSocketEndPoint unix ? UnixPrefix + unix : endpoint.ToString() ?? "";
    }
}
