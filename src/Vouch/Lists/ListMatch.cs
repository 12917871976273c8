using Vouch.Policy;

namespace Vouch.Lists;

/// <summary>A list entry that matched.</summary>
/// <param name="List">"allow", "block", or the DNS list's name.</param>
/// <param name="Subject">What matched: the client address or a domain.</param>
/// <param name="Entry">The entry: a network, a domain, or the DNS list query name.</param>
/// <param name="Action">What a match makes Vouch do: accept for the allow list, reject for the local block list, the DNS list's action.</param>
public sealed record ListMatch(string List, string Subject, string Entry, PolicyAction Action);
