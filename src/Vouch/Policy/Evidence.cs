using Vouch.Lists;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Policy;

/// <summary>Everything the checks found about one request: the input of the decision table.</summary>
/// <param name="Request">The request.</param>
/// <param name="MailFromSpf">SPF for the MAIL FROM identity (the HELO name standing in for a bounce).</param>
/// <param name="HeloSpf">SPF for the HELO identity.</param>
/// <param name="Fcrdns">Forward-confirmed reverse DNS.</param>
/// <param name="Registration">MX registration.</param>
/// <param name="Allowed">The allow-list entry that matched, or null.</param>
/// <param name="LocalBlocked">The local block-list entry that matched, or null.</param>
/// <param name="DnsLists">Every DNS list answer, listed or not.</param>
/// <param name="Rmx">The RMX check (draft-danisch-dns-rr-smtp-03); NoRMX when turned off.</param>
public sealed record Evidence(
    CheckRequest Request,
    SpfResult MailFromSpf,
    SpfResult HeloSpf,
    FcrdnsResult Fcrdns,
    RegistrationResult Registration,
    ListMatch? Allowed,
    ListMatch? LocalBlocked,
    IReadOnlyList<DnsListResult> DnsLists,
    RmxResult Rmx)
{
    /// <summary>
    /// The listing the <c>block_listed</c> row weighs: the local block list beats a DNS list, and among DNS lists
    /// the first listing in their configured order wins; null when nothing lists the client.
    /// </summary>
    public ListMatch? Blocked { get; } = LocalBlocked ?? FirstDnsListing(DnsLists);

    /// <summary>
    /// When the client is an MX host of one of our own domains, which one ("host (MX of domain)"); then nothing
    /// else was checked, and the <c>own_mx_host</c> row decides. Null otherwise.
    /// </summary>
    public string? OwnMxHost { get; init; }

    /// <summary>
    /// When the client is in a trusted network (<c>[server] skip_networks</c>), which one ("10.0.0.0/8"); then
    /// nothing else was checked, and the <c>trusted_relay</c> row decides. Null otherwise.
    /// </summary>
    public string? TrustedNetwork { get; init; }

    /// <summary>
    /// What owner reputation knew when the request was decided: the vouching, the rows a report would charge and
    /// their worst state, from the in-memory map. <see cref="ReputationFinding.Off"/> when reputation is off.
    /// </summary>
    public ReputationFinding Reputation { get; init; } = ReputationFinding.Off;

    /// <summary>
    /// The pieces not asked for this request because the decision did not need them (<c>[checks] gather =
    /// "decisive"</c>); their results are placeholders that no row the decision tried has read. None by default.
    /// </summary>
    public EvidencePieces Skipped { get; init; }

    /// <summary>DNS queries the checks made: registration's, and SPF's for MAIL FROM and HELO.</summary>
    public int DnsQueries => Registration.DnsQueries + MailFromSpf.DnsLookups + HeloSpf.DnsLookups;

    /// <summary>The result word of a piece that was not asked: <see cref="ResultToken"/> gives it for every skipped piece.</summary>
    public const string NotAskedToken = "not_asked";

    /// <summary>Why a skipped piece is missing, in the words placeholders and reports use.</summary>
    public const string NotAskedReason = "not asked: the decision did not need it ([checks] gather = \"decisive\")";

    /// <summary>Whether <paramref name="piece"/> was asked (true unless it is in <see cref="Skipped"/>).</summary>
    public bool WasAsked(EvidencePieces piece) => (Skipped & piece) == 0;

    /// <summary>
    /// The result word of one piece for output ("pass", "registered", "NoRMX", …), or <see cref="NotAskedToken"/>
    /// when it was skipped.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="piece"/> is not one of MailFromSpf, HeloSpf, Fcrdns, Registration, Rmx.</exception>
    public string ResultToken(EvidencePieces piece) => !WasAsked(piece) ? NotAskedToken : piece switch
    {
        EvidencePieces.MailFromSpf => MailFromSpf.Code.ToToken(),
        EvidencePieces.HeloSpf => HeloSpf.Code.ToToken(),
        EvidencePieces.Fcrdns => Fcrdns.Token,
        EvidencePieces.Registration => Registration.Token,
        EvidencePieces.Rmx => Rmx.Token,
        _ => throw new ArgumentOutOfRangeException(nameof(piece), piece, "not a piece with a result word"),
    };

    private static ListMatch? FirstDnsListing(IReadOnlyList<DnsListResult> results)
    {
        foreach (var result in results)
        {
            if (result.Outcome == DnsListOutcome.Listed)
            {
                return new ListMatch(result.List.Name, result.Subject, result.QueryName);
            }
        }

        return null;
    }
}
