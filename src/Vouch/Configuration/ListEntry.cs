using Vouch.Network;

namespace Vouch.Configuration;

/// <summary>One entry of an allow or block list: a network or a domain, never both.</summary>
/// <param name="Prefix">The address or network, or null for a domain.</param>
/// <param name="Domain">The normalized domain, or null for a network.</param>
internal readonly record struct ListEntry(AddressPrefix? Prefix, string? Domain)
{
    /// <summary>
    /// Reads an IP address, a network (address/length) or else a domain name. Text with '/' or ':' is taken as
    /// meant for a network or IPv6 address, so a typo there is reported as such rather than as a bad domain.
    /// </summary>
    public static bool TryParse(string text, out ListEntry entry, out string problem)
    {
        entry = default;
        if (AddressPrefixText.TryParse(text, out var prefix, out problem))
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
