using System.Net;

namespace Vouch.Audit;

/// <summary>What a domain owner asks the audit about.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="Addresses">Outbound servers to audit; none: discover them from the domain's DNS.</param>
/// <param name="Helos">HELO names to audit with every server; none: each server's confirmed PTR names and MX host names.</param>
/// <param name="MailFroms">MAIL FROM addresses to audit besides postmaster@DOMAIN and the bounce.</param>
public sealed record AuditRequest(string Domain, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> Helos, IReadOnlyList<string> MailFroms)
{
    /// <summary>The HELO name a server greets with instead, once a proposed fix renames it (F-OUT-DOMAIN).</summary>
    public IReadOnlyDictionary<IPAddress, string> ServerHelos { get; init; } = new Dictionary<IPAddress, string>();
}
