using System.Collections.Frozen;
using System.Net;
using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Lists;

/// <summary>
/// The local allow and block lists of <see cref="ListOptions"/>, ready for matching: client addresses against
/// network prefixes, and domains against entries that each cover themselves and their subdomains.
/// Immutable and thread-safe; matching a domain costs one hash lookup per label and allocates nothing unless it matches.
/// </summary>
public sealed class LocalLists
{
    /// <summary>The <see cref="ListMatch.List"/> name of the local allow list.</summary>
    public const string AllowListName = "allow";

    /// <summary>The <see cref="ListMatch.List"/> name of the local block list.</summary>
    public const string BlockListName = "block";

    private readonly AddressPrefix[] allowPrefixes;
    private readonly string[] allowPrefixEntries;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> allowDomains;
    private readonly AddressPrefix[] blockPrefixes;
    private readonly string[] blockPrefixEntries;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> blockDomains;

    /// <summary>
    /// Copies the lists of <paramref name="options"/>. Domain entries are compared without case and without a
    /// trailing dot; empty entries (which would cover every name) are ignored. An IPv4-mapped IPv6 prefix of
    /// length 96 or more is kept as the IPv4 prefix it stands for, so it matches IPv4 clients.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public LocalLists(ListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (allowPrefixes, allowPrefixEntries) = Prefixes(options.AllowAddresses);
        (blockPrefixes, blockPrefixEntries) = Prefixes(options.BlockAddresses);
        allowDomains = Domains(options.AllowDomains);
        blockDomains = Domains(options.BlockDomains);
        ReadsDomains = allowDomains.Set.Count > 0 || blockDomains.Set.Count > 0;
    }

    /// <summary>Whether either list has a domain entry, so that <see cref="FindAllowed"/> and <see cref="FindBlocked"/> read the domains they are given.</summary>
    public bool ReadsDomains { get; }

    /// <summary>
    /// The first allow-list entry that covers the client: its address first, then each of <paramref name="domains"/>
    /// in the order given (owner, MAIL FROM domain, HELO name, confirmed PTR names). Null and empty domains are skipped.
    /// </summary>
    /// <returns>The match; null when nothing matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="domains"/> is null.</exception>
    public ListMatch? FindAllowed(IPAddress client, IReadOnlyList<string> domains) =>
        Find(AllowListName, allowPrefixes, allowPrefixEntries, allowDomains, client, domains);

    /// <summary>The first block-list entry that covers the client, searched as <see cref="FindAllowed"/> does.</summary>
    /// <returns>The match; null when nothing matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="domains"/> is null.</exception>
    public ListMatch? FindBlocked(IPAddress client, IReadOnlyList<string> domains) =>
        Find(BlockListName, blockPrefixes, blockPrefixEntries, blockDomains, client, domains);

    private static ListMatch? Find(
        string list,
        AddressPrefix[] prefixes,
        string[] prefixEntries,
        FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> entries,
        IPAddress client,
        IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(domains);
        if (prefixes.Length > 0)
        {
            var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
            for (var i = 0; i < prefixes.Length; i++)
            {
                if (prefixes[i].Contains(address))
                {
                    return new ListMatch(list, address.ToString(), prefixEntries[i]);
                }
            }
        }

        if (entries.Set.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];
            if (string.IsNullOrEmpty(domain))
            {
                continue;
            }

            var name = domain.AsSpan();
            if (name[^1] == '.')
            {
                name = name[..^1];
            }

            // Each suffix that starts at a label boundary, the name itself first: "a.b.example", "b.example", "example".
            // The same relation as DnsName.IsSubdomainOrSelf, without allocating a substring per label.
            while (name.Length > 0)
            {
                if (entries.TryGetValue(name, out var entry))
                {
                    return new ListMatch(list, DnsName.Normalize(domain), entry);
                }

                var dot = name.IndexOf('.');
                if (dot < 0)
                {
                    break;
                }

                name = name[(dot + 1)..];
            }
        }

        return null;
    }

    private static (AddressPrefix[] Prefixes, string[] Entries) Prefixes(IReadOnlyList<AddressPrefix> configured)
    {
        var prefixes = new AddressPrefix[configured.Count];
        var entries = new string[configured.Count];
        for (var i = 0; i < configured.Count; i++)
        {
            var prefix = configured[i];
            entries[i] = prefix.ToString();
            if (prefix.Address.IsIPv4MappedToIPv6 && prefix.PrefixLength >= 96)
            {
                prefix = new AddressPrefix(prefix.Address.MapToIPv4(), prefix.PrefixLength - 96);
            }

            prefixes[i] = prefix;
        }

        return (prefixes, entries);
    }

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Domains(IReadOnlyList<string> configured)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in configured)
        {
            if (entry is null)
            {
                continue;
            }

            var name = DnsName.Normalize(entry.Trim());
            if (name.Length > 0)
            {
                names.Add(name);
            }
        }

        return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
