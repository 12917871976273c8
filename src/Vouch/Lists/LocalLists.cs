using System.Net;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Policy;

namespace Vouch.Lists;

/// <summary>
/// The local allow and block lists: addresses and networks matched against the client, domains (each
/// covering its subdomains) against the domains a request presents. Immutable and thread-safe.
/// </summary>
public sealed class LocalLists
{
    private readonly IReadOnlyList<AddressPrefix> allowAddresses;
    private readonly IReadOnlyList<AddressPrefix> blockAddresses;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> allowDomains;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> blockDomains;

    /// <summary>Builds the lists from <paramref name="options"/>.</summary>
    public LocalLists(ListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        allowAddresses = options.AllowAddresses;
        blockAddresses = options.BlockAddresses;
        allowDomains = new HashSet<string>(options.AllowDomains.Select(DnsName.Normalize), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        blockDomains = new HashSet<string>(options.BlockDomains.Select(DnsName.Normalize), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The allow-list entry matching the client or one of <paramref name="domains"/>, or null.</summary>
    public ListMatch? FindAllowed(IPAddress client, IReadOnlyList<string> domains) =>
        Find("allow", PolicyAction.Accept, allowAddresses, allowDomains, client, domains);

    /// <summary>The block-list entry matching the client or one of <paramref name="domains"/>, or null.</summary>
    public ListMatch? FindBlocked(IPAddress client, IReadOnlyList<string> domains) =>
        Find("block", PolicyAction.Reject, blockAddresses, blockDomains, client, domains);

    private static ListMatch? Find(string list, PolicyAction action, IReadOnlyList<AddressPrefix> addresses, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> entries, IPAddress client, IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(domains);
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        foreach (var prefix in addresses)
        {
            if (prefix.Contains(client))
            {
                return new ListMatch(list, client.ToString(), prefix.ToString(), action);
            }
        }

        if (entries.Set.Count == 0)
        {
            return null;
        }

        foreach (var domain in domains)
        {
            var name = DnsName.Normalize(domain);

            // The name itself, then each parent: "a.b.example" is covered by "b.example" and "example".
            for (var start = 0; start >= 0 && start < name.Length; start = NextLabel(name, start))
            {
                if (entries.TryGetValue(name.AsSpan(start), out var entry))
                {
                    return new ListMatch(list, name, entry, action);
                }
            }
        }

        return null;
    }

    private static int NextLabel(string name, int start)
    {
        var dot = name.IndexOf('.', start);
        return dot < 0 ? -1 : dot + 1;
    }
}
