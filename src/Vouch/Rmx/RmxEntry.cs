using Vouch.Network;

namespace Vouch.Rmx;

/// <summary>One parsed RMX entry: <c>[!] TAG : ENTRY-SPECIFIC-DATA</c> (draft §5.1).</summary>
/// <param name="Negated">True when the entry starts with "!": a match denies instead of granting.</param>
/// <param name="Type">The entry type.</param>
/// <param name="Data">The data after the colon, as written ("" when none).</param>
/// <param name="Network">For ipv4: and ipv6:, the network.</param>
/// <param name="Text">The entry as written.</param>
public sealed record RmxEntry(bool Negated, RmxEntryType Type, string Data, AddressPrefix? Network, string Text)
{
    /// <summary>True for the entries that query DNS (host, apl, domain, mx), counted toward the limit of 10.</summary>
    public bool QueriesDns => Type is RmxEntryType.Host or RmxEntryType.Apl or RmxEntryType.Domain or RmxEntryType.Mx;

    /// <inheritdoc />
    public override string ToString() => Text;
}
