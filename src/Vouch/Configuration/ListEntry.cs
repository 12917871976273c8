using Vouch.Network;

namespace Vouch.Configuration;

/// <summary>One entry of an allow or block list: a network or a domain, never both.</summary>
/// <param name="Prefix">The address or network, or null for a domain.</param>
/// <param name="Domain">The normalized domain, or null for a network.</param>
internal readonly record struct ListEntry(AddressPrefix? Prefix, string? Domain)
{
    /// <summary>The entries of an allow or block list: its networks, then its domains.</summary>
    public static IReadOnlyList<ListEntry> Of(IReadOnlyList<AddressPrefix> prefixes, IReadOnlyList<string> domains) =>
        [.. prefixes.Select(prefix => new ListEntry(prefix, null)), .. domains.Select(domain => new ListEntry(null, domain))];

    /// <summary>The networks among <paramref name="entries"/>; the shared empty list when there are none, so a file without them equals the defaults.</summary>
    public static IReadOnlyList<AddressPrefix> Addresses(IReadOnlyList<ListEntry> entries) =>
        entries.Any(entry => entry.Prefix is not null) ? [.. entries.Where(e => e.Prefix is not null).Select(e => e.Prefix!.Value)] : [];

    /// <summary>The domains among <paramref name="entries"/>; the shared empty list when there are none.</summary>
    public static IReadOnlyList<string> Domains(IReadOnlyList<ListEntry> entries) =>
        entries.Any(entry => entry.Domain is not null) ? [.. entries.Where(e => e.Domain is not null).Select(e => e.Domain!)] : [];

    /// <summary>The entry as the file writes it.</summary>
    public override string ToString() => Prefix?.ToString() ?? Domain ?? "";

    /// <summary>
    /// Reads an IP address, a network (address/length) or else a domain name. Text with '/' or ':' is taken as
    /// meant for a network or IPv6 address, so a typo there is reported as such rather than as a bad domain.
    /// </summary>
    public static bool TryParse(string text, out ListEntry entry, out string problem)
    {
        entry = default;
        if (AddressPrefix.TryParse(text, out var prefix, out problem))
        {
            entry = new ListEntry(prefix, null);
            return true;
        }

        if (text.Contains('/', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        if (!DomainNameText.TryParse(text, out var domain, out problem))
        {
            problem += "; expected an IP address, a network (address/length) or a domain name";
            return false;
        }

        entry = new ListEntry(null, domain);
        return true;
    }
}
