using System.Globalization;
using Vouch.Dns;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Reputation;

/// <summary>
/// Reads from the checks' results which owner verifiably vouched for the client, and how. Only what Vouch
/// verified counts: a forged MAIL FROM whose domain does not list the client yields no vouching, so a report
/// about it charges the client address, never the forged domain.
/// </summary>
public static class VouchingReader
{
    // Networks wider than these vouch for a crowd, not for a server (RMX draft §11.1.5 "loose security policies").
    private const int WidestIPv4Prefix = 16;
    private const int WidestIPv6Prefix = 32;

    /// <summary>
    /// The vouching of the primary identity (MAIL FROM, or HELO for a bounce) by MX registration, SPF or RMX, the
    /// firmest first; failing those, the HELO or PTR name's. Null when nothing verified vouches for the client.
    /// </summary>
    public static Vouching? Read(CheckRequest request, SpfResult mailFromSpf, SpfResult heloSpf, RegistrationResult registration, RmxResult rmx, PublicSuffixList? suffixes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(mailFromSpf);
        ArgumentNullException.ThrowIfNull(heloSpf);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(rmx);
        var bounce = request.Sender.IsNull;
        Vouching? best = null;
        void Consider(Vouching? candidate)
        {
            if (candidate is not null && (best is null || candidate.Strength < best.Strength))
            {
                best = candidate;
            }
        }

        var primaryRoute = bounce ? RegistrationRoute.Helo : RegistrationRoute.MailFrom;
        if (registration.Code == RegistrationResultCode.Registered && registration.Via == primaryRoute)
        {
            Consider(FromRegistration(registration, bounce ? VouchMethod.Helo : VouchMethod.Mx, suffixes));
        }

        if (mailFromSpf.Code == SpfResultCode.Pass)
        {
            Consider(FromSpf(mailFromSpf, bounce ? VouchMethod.Helo : VouchMethod.Spf, suffixes));
        }

        if (rmx.Code == RmxResultCode.Granted && rmx.Domain.Length > 0)
        {
            Consider(FromRmx(rmx, suffixes));
        }

        if (best is not null)
        {
            return best;
        }

        if (registration.Code == RegistrationResultCode.Registered)
        {
            Consider(FromRegistration(registration, registration.Via == RegistrationRoute.Ptr ? VouchMethod.Ptr : VouchMethod.Helo, suffixes));
        }

        if (heloSpf.Code == SpfResultCode.Pass)
        {
            Consider(FromSpf(heloSpf, VouchMethod.Helo, suffixes));
        }

        return best;
    }

    private static Vouching? FromRegistration(RegistrationResult registration, VouchMethod method, PublicSuffixList? suffixes)
    {
        if (registration.Domain is null || !DnsName.IsValidMultiLabel(registration.Domain))
        {
            return null;
        }

        var domain = DnsName.Normalize(registration.Domain);
        var owner = registration.Owner is { Length: > 0 } known ? DnsName.Normalize(known) : Organisation(domain, suffixes);
        var host = registration.MxHost is { } mxHost && DnsName.IsValidMultiLabel(mxHost) ? DnsName.Normalize(mxHost) : domain;
        var via = Other(owner, Organisation(host, suffixes));
        return new Vouching(owner, via, method, via is null ? VouchStrength.Strong : VouchStrength.Shared, domain, "MX " + host);
    }

    private static Vouching? FromSpf(SpfResult spf, VouchMethod method, PublicSuffixList? suffixes)
    {
        if (!DnsName.IsValidMultiLabel(spf.Domain))
        {
            return null;
        }

        var domain = DnsName.Normalize(spf.Domain);
        var owner = Organisation(domain, suffixes);
        var term = spf.AuthorizingTerm ?? spf.Mechanism ?? "";
        var recordDomain = spf.AuthorizingDomain is { } held && DnsName.IsValidMultiLabel(held) ? DnsName.Normalize(held) : domain;
        var (name, target, prefix) = SplitTerm(term);
        var via = Other(owner, Organisation(recordDomain, suffixes));
        if (via is null && target is not null && !target.Contains('%', StringComparison.Ordinal) && DnsName.IsValidMultiLabel(target))
        {
            // "a:relay.esp.net" or "mx:esp.net" in the owner's own record still points at another organisation's hosts.
            via = Other(owner, Organisation(DnsName.Normalize(target), suffixes));
        }

        var weak = name == "all" || (prefix is { } bits && (name is "ip4" or "a" or "mx" ? bits < WidestIPv4Prefix : name == "ip6" && bits < WidestIPv6Prefix));
        var strength = weak ? VouchStrength.Weak : via is null ? VouchStrength.Strong : VouchStrength.Shared;
        return new Vouching(owner, via, method, strength, domain, term.Length > 0 ? term : "spf pass");
    }

    private static Vouching? FromRmx(RmxResult rmx, PublicSuffixList? suffixes)
    {
        if (!DnsName.IsValidMultiLabel(rmx.Domain))
        {
            return null;
        }

        var domain = DnsName.Normalize(rmx.Domain);
        var owner = Organisation(domain, suffixes);
        var entry = rmx.Entry ?? "";
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        var type = colon > 0 ? entry[..colon].ToLowerInvariant() : entry.ToLowerInvariant();
        var data = colon > 0 ? entry[(colon + 1)..] : "";
        string? via = null;
        var weak = false;
        if (type is "host" or "apl" or "domain" or "mx" && DnsName.IsValidMultiLabel(data))
        {
            via = Other(owner, Organisation(DnsName.Normalize(data), suffixes));
        }
        else if (type is "ipv4" or "ipv6")
        {
            var slash = data.LastIndexOf('/');
            weak = slash > 0 && int.TryParse(data.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
                && bits < (type == "ipv4" ? WidestIPv4Prefix : WidestIPv6Prefix);
        }
        else if (type == "full")
        {
            weak = true;
        }

        var strength = weak ? VouchStrength.Weak : via is null ? VouchStrength.Strong : VouchStrength.Shared;
        return new Vouching(owner, via, VouchMethod.Rmx, strength, domain, entry.Length > 0 ? entry : "rmx granted");
    }

    /// <summary>An SPF term's mechanism name, its explicit domain (a, mx, exists, ptr, include) and its IPv4 (or only) prefix length.</summary>
    internal static (string Name, string? Target, int? Prefix) SplitTerm(string term)
    {
        var text = term.TrimStart('+', '-', '~', '?').ToLowerInvariant();
        var end = text.IndexOfAny([':', '/']);
        var name = end < 0 ? text : text[..end];
        if (end < 0)
        {
            return (name, null, null);
        }

        var rest = text[end..];
        if (name is "ip4" or "ip6")
        {
            var slash = rest.LastIndexOf('/');
            int? prefix = slash >= 0 && int.TryParse(rest.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : null;
            return (name, null, prefix);
        }

        string? target = null;
        if (rest[0] == ':')
        {
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            target = slash < 0 ? rest[1..] : rest[1..slash];
            rest = slash < 0 ? "" : rest[slash..];
        }

        int? cidr = null;
        if (rest.StartsWith('/') && !rest.StartsWith("//", StringComparison.Ordinal))
        {
            var digits = rest[1..];
            var second = digits.IndexOf('/', StringComparison.Ordinal);
            if (int.TryParse(second < 0 ? digits : digits[..second], NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
            {
                cidr = bits;
            }
        }

        return (name, target, cidr);
    }

    private static string Organisation(string domain, PublicSuffixList? suffixes) =>
        PublicSuffixList.OrganizationalDomainOrLastTwoLabels(suffixes, domain);

    private static string? Other(string owner, string organisation) =>
        string.Equals(owner, organisation, StringComparison.Ordinal) ? null : organisation;
}
