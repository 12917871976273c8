using Vouch.Policy;

namespace Vouch.Lists;

/// <summary>A list entry that matched the client: which list, what matched it, and what the listing makes Vouch do.</summary>
/// <param name="List">"allow" or "block" for the local lists, or the <see cref="DnsListDefinition.Name"/> of a DNS list.</param>
/// <param name="Subject">What matched: the client address (IPv4-mapped IPv6 shown as IPv4) or a domain (lower case, no trailing dot).</param>
/// <param name="Entry">The list entry that covers the subject, e.g. "203.0.113.0/24" or "spammer.example".</param>
/// <param name="Action"><see cref="PolicyAction.Accept"/> for the allow list, <see cref="PolicyAction.Reject"/> for the local block list, the list's own action for a DNS list.</param>
public sealed record ListMatch(string List, string Subject, string Entry, PolicyAction Action);
