using Vouch.Network;

namespace Vouch.Lists;

/// <summary>One DNS block list (DNSBL or RHSBL, RFC 5782) and how to read its answers. What a listing makes Vouch do is the policy's (<c>PolicyOptions.ListActions</c>).</summary>
/// <param name="Name">A short name for logs and reasons, e.g. "zen".</param>
/// <param name="Zone">The list's DNS zone, e.g. "zen.dnsbl.example" (no trailing dot).</param>
/// <param name="Kind">Addresses or domains.</param>
/// <param name="ListedAnswers">A-record answers that mean "listed"; typically 127.0.0.0/8 less the error range.</param>
/// <param name="ErrorAnswers">A-record answers that mean the list refused or failed the query (e.g. 127.255.255.0/24): never "listed".</param>
public sealed record DnsListDefinition(
    string Name,
    string Zone,
    DnsListKind Kind,
    IReadOnlyList<AddressPrefix> ListedAnswers,
    IReadOnlyList<AddressPrefix> ErrorAnswers)
{
    /// <summary>The default "listed" answers: 127.0.0.0/8 (RFC 5782 §2.1).</summary>
    public static IReadOnlyList<AddressPrefix> DefaultListedAnswers { get; } = [new(System.Net.IPAddress.Parse("127.0.0.0"), 8)];

    /// <summary>The default error answers: 127.255.255.0/24, which several large lists use for refused or over-quota queries.</summary>
    public static IReadOnlyList<AddressPrefix> DefaultErrorAnswers { get; } = [new(System.Net.IPAddress.Parse("127.255.255.0"), 24)];
}
