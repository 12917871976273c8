using System.Net;

namespace Vouch.Audit;

/// <summary>One domain's SPF record in the budget tree, with its terms in evaluation order (redirect last).</summary>
/// <param name="Domain">The domain whose record this is.</param>
/// <param name="Text">The record text (TXT strings joined, RFC 7208 §3.3); null when there is none, several, or DNS failed.</param>
/// <param name="Terms">The directives in order, then the redirect modifier if any; empty when the record is missing or has a syntax error.</param>
/// <param name="Lookups">DNS-querying terms the record costs, its includes and redirect included (terms never reached left out).</param>
/// <param name="VoidLookups">Void lookups the record and its subtree cause.</param>
/// <param name="PassingAddresses">The audited addresses this record gives pass, by first match (a term beyond the limit is permerror, not pass).</param>
/// <param name="Problem">Why the record has no terms (no record, several records, syntax error, DNS failure), or null.</param>
public sealed record SpfBudgetNode(
    string Domain,
    string? Text,
    IReadOnlyList<SpfBudgetTerm> Terms,
    int Lookups,
    int VoidLookups,
    IReadOnlyList<IPAddress> PassingAddresses,
    string? Problem);
