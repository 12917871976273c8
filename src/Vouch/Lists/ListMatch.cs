namespace Vouch.Lists;

/// <summary>A list entry that matched the client: which list, and what matched it. What a listing makes Vouch do is the policy's (the decision table's list rows).</summary>
/// <param name="List">"allow" or "block" for the local lists, or the <see cref="DnsListDefinition.Name"/> of a DNS list.</param>
/// <param name="Subject">What matched: the client address (IPv4-mapped IPv6 shown as IPv4) or a domain (lower case, no trailing dot).</param>
/// <param name="Entry">The list entry that covers the subject, e.g. "203.0.113.0/24" or "spammer.example"; for a DNS list, the name queried.</param>
public sealed record ListMatch(string List, string Subject, string Entry);
