using Vouch.Network;

namespace Vouch.Dns;

/// <summary>One item of an APL record (RFC 3123 §4): an address prefix, possibly negated.</summary>
/// <param name="Negated">True for a "!" item: addresses in the prefix are excluded.</param>
/// <param name="Prefix">The address prefix (IPv4 for address family 1, IPv6 for 2).</param>
public sealed record AplItem(bool Negated, AddressPrefix Prefix)
{
    /// <summary>The item in zone-file form, e.g. "!1:192.0.2.0/24".</summary>
    public override string ToString() =>
        $"{(Negated ? "!" : "")}{(Prefix.Family == System.Net.Sockets.AddressFamily.InterNetwork ? 1 : 2)}:{Prefix}";
}
