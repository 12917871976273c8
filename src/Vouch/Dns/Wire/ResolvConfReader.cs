using System.Net;

namespace Vouch.Dns.Wire;

// Why our own reader rather than DnsClient's NameServer.ResolveNameServers: once TCP went through TcpExchange these
// few lines were all DnsClient still did for Vouch, and a second DNS library with its own wire decoder is a poor
// price for them. Here the rules are in sight and tested on text; DnsClient went through the network interfaces.

/// <summary>
/// Reads the name servers a <see cref="NetworkResolver"/> given none asks: the "nameserver" lines of
/// /etc/resolv.conf (resolv.conf(5)), in order, each an IPv4 or IPv6 address (the latter with an optional
/// "%scope", an interface name or index), on port 53. Lines starting with ';' or '#' are comments, as is what
/// follows an address after a ';' or '#'. Addresses that cannot be parsed, the unspecified addresses and
/// deprecated IPv6 site-local ones (fec0::/10, RFC 3879; skipped as DnsClient did) are left out, as are repeats.
/// All servers listed are kept, where the C library asks only the first three.
/// </summary>
internal static class ResolvConfReader
{
    /// <summary>Where the system's resolver configuration is.</summary>
    public const string DefaultPath = "/etc/resolv.conf";

    private const string Keyword = "nameserver";

    /// <summary>The DNS port (RFC 1035 §4.2): resolv.conf names no other.</summary>
    private const int Port = 53;

    /// <summary>The servers in the file at <paramref name="path"/>; none when it does not exist or cannot be read.</summary>
    public static IReadOnlyList<IPEndPoint> Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The servers in <paramref name="text"/>, the content of a resolv.conf file.</summary>
    public static IReadOnlyList<IPEndPoint> Parse(string text)
    {
        var servers = new List<IPEndPoint>();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            // The keyword starts its line and a blank follows it; a comment line starts with ';' or '#'.
            if (!line.StartsWith(Keyword, StringComparison.Ordinal) || line.Length == Keyword.Length || line[Keyword.Length] is not (' ' or '\t'))
            {
                continue;
            }

            var value = line[Keyword.Length..].TrimStart(" \t");
            var end = value.IndexOfAny(" \t;#");
            if (IPAddress.TryParse(end < 0 ? value : value[..end], out var address) &&
                !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any) && !address.IsIPv6SiteLocal)
            {
                var server = new IPEndPoint(address, Port);
                if (!servers.Contains(server))
                {
                    servers.Add(server);
                }
            }
        }

        return servers;
    }
}
