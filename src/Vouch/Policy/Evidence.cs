using Vouch.Checks;
using Vouch.Lists;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Spf;

namespace Vouch.Policy;

/// <summary>Everything the checks found about one request: the input of the decision table.</summary>
/// <param name="Request">The request.</param>
/// <param name="MailFromSpf">SPF for the MAIL FROM identity (the HELO name standing in for a bounce).</param>
/// <param name="HeloSpf">SPF for the HELO identity.</param>
/// <param name="Fcrdns">Forward-confirmed reverse DNS.</param>
/// <param name="Registration">MX registration.</param>
/// <param name="Allowed">The allow-list entry that matched, or null.</param>
/// <param name="Blocked">The block-list entry (local or DNS list) that matched, or null.</param>
/// <param name="DnsLists">Every DNS list answer, listed or not.</param>
/// <param name="Rmx">The RMX check (draft-danisch-dns-rr-smtp-03); NoRMX when turned off.</param>
public sealed record Evidence(
    CheckRequest Request,
    SpfResult MailFromSpf,
    SpfResult HeloSpf,
    FcrdnsResult Fcrdns,
    RegistrationResult Registration,
    ListMatch? Allowed,
    ListMatch? Blocked,
    IReadOnlyList<DnsListResult> DnsLists,
    RmxResult Rmx);
