namespace Vouch.Audit;

/// <summary>One thing the audit found about a domain's records or one of its servers.</summary>
/// <param name="Id">A stable id, e.g. "SPF-LOOKUPS" or "PTR-NONE": what tools and tests match on.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Subject">What it is about: a domain, a record, an address, "IP / HELO".</param>
/// <param name="Message">One sentence for the owner.</param>
/// <param name="Rfc">The rule it applies, e.g. "RFC 7208 §4.6.4", or null.</param>
/// <param name="Evidence">What was seen (the record text, the term, the DNS answer), or null.</param>
/// <param name="Fix">The id of the fix that mends it (e.g. "F-SPF-IP"), or null.</param>
public sealed record AuditFinding(string Id, FindingSeverity Severity, string Subject, string Message, string? Rfc, string? Evidence, string? Fix);
