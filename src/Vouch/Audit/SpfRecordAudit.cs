using System.Net;
using Vouch.Dns;
using Vouch.Registration;
using Vouch.Spf;

namespace Vouch.Audit;

/// <summary>
/// The SPF half of <c>vouch audit</c>: walks a domain's whole SPF record tree (every include and redirect, past the
/// limits, so that the whole tree shows), counts the DNS-querying terms and void lookups per term in evaluation
/// order (RFC 7208 §4.6.4), finds what is wrong, and tells own addresses from providers' ranges.
/// It asks DNS only through <see cref="IDnsResolver"/>; it decides nothing per server (the receiver's checker does).
/// </summary>
/// <param name="resolver">Where DNS questions go.</param>
/// <param name="options">The limits receivers apply: <see cref="SpfOptions.MaxDnsLookups"/>, <see cref="SpfOptions.MaxVoidLookups"/>, <see cref="SpfOptions.MaxMxHosts"/>, <see cref="SpfOptions.MaxPtrNames"/>.</param>
/// <param name="suffixes">The Public Suffix List that tells organisations apart; null compares the last two labels.</param>
public sealed class SpfRecordAudit(IDnsResolver resolver, SpfOptions options, PublicSuffixList? suffixes = null)
{
    /// <summary>Audits the SPF record tree of <paramref name="domain"/>.</summary>
    /// <param name="domain">The domain whose MAIL FROM policy is audited, with or without a trailing dot.</param>
    /// <param name="auditedAddresses">The outbound addresses to match each term against and to expand macros for; may be empty.</param>
    /// <param name="cancellationToken">Cancels the audit; the walk stops waiting for DNS at once.</param>
    /// <returns>The tree, counters, findings and discovered addresses. DNS trouble is a <see cref="FindingSeverity.TestError"/> finding, never an exception.</returns>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<SpfRecordReport> AuditAsync(string domain, IReadOnlyList<IPAddress> auditedAddresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(auditedAddresses);
        if (!DnsName.TryParse(domain, out var name, out var problem))
        {
            throw new ArgumentException($"The domain {problem}.", nameof(domain));
        }

        return new SpfTreeWalk(resolver, options, suffixes, name, auditedAddresses, cancellationToken).RunAsync();
    }
}
