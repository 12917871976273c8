using System.Net;
using Vouch.Checks;

namespace Vouch.Audit;

/// <summary>One row of the verdict matrix: what a receiver running Vouch decides for a server, a HELO name and a MAIL FROM.</summary>
/// <param name="Address">The server.</param>
/// <param name="Helo">The HELO name it greets with.</param>
/// <param name="MailFrom">The MAIL FROM address, or "" for a bounce (then the HELO identity decides, RFC 7208 §2.4).</param>
/// <param name="Outcome">The receiver's check and decision: the same as <c>vouch check</c> gives.</param>
public sealed record AuditRow(IPAddress Address, string Helo, string MailFrom, CheckOutcome Outcome)
{
    /// <summary>
    /// The same check under the other ways receivers count SPF lookups: "strict" (an mx term's address lookups
    /// count toward 10) and "lenient" (30 lookups, no void limit, as rspamd and mailauth allow).
    /// </summary>
    public IReadOnlyDictionary<string, CheckOutcome> Profiles { get; init; } = new Dictionary<string, CheckOutcome>();
}
