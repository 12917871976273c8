using System.Net;

namespace Vouch.Lists;

/// <summary>The answer of one DNS list about one subject, with the query behind it.</summary>
/// <param name="List">The list asked.</param>
/// <param name="Subject">The client address (IPv4-mapped IPv6 shown as IPv4) or the domain (lower case, no trailing dot) looked up.</param>
/// <param name="QueryName">The name queried, e.g. "2.0.0.127.zen.dnsbl.example"; also set for a suspended list, which was not queried.</param>
/// <param name="Outcome">What the answer means.</param>
/// <param name="Answers">The A records the list returned (empty for NXDOMAIN, NODATA, failures and suspended lists).</param>
/// <param name="Text">For a listing, the TXT record at the same name (RFC 5782 §2.1), control characters replaced by spaces and at most 512 characters; null when there is none, it could not be read, or the subject is not listed.</param>
public sealed record DnsListResult(
    DnsListDefinition List,
    string Subject,
    string QueryName,
    DnsListOutcome Outcome,
    IReadOnlyList<IPAddress> Answers,
    string? Text);
