using System.Net;

namespace Vouch.Audit;

/// <summary>One outbound server the audit looked at, and why it is on the list.</summary>
/// <param name="Address">Its address.</param>
/// <param name="Origin">Where it came from: "given", "MX host mx1.example.com", "SPF of example.com", ….</param>
/// <param name="Helos">The HELO names it was audited with.</param>
public sealed record AuditServer(IPAddress Address, string Origin, IReadOnlyList<string> Helos);
