using System.Net;

namespace Vouch.Audit;

/// <summary>
/// Another way to make a server pass, besides the records the audit chose (<see cref="AuditFix"/>): what it costs
/// and what it brings with it, as zone-file lines to publish.
/// </summary>
/// <param name="Id">F-LOW-MX (list the server as a low-priority MX host), F-RMX (an RMX entry), F-PTR (a PTR record, which the address's provider publishes).</param>
/// <param name="Server">The server it is for.</param>
/// <param name="ZoneLines">The lines to publish, with their $ORIGIN.</param>
/// <param name="Cost">Records added and SPF lookups added, in a few words.</param>
/// <param name="SideEffects">What else it brings, or who must act.</param>
public sealed record AuditAlternative(string Id, IPAddress Server, IReadOnlyList<string> ZoneLines, string Cost, string SideEffects);
