using System.Net;

namespace Vouch.Lists;

/// <summary>One DNS list's answer about one subject.</summary>
/// <param name="List">The list.</param>
/// <param name="Subject">The client address or domain asked about.</param>
/// <param name="QueryName">The name queried (e.g. "2.0.0.127.zen.example").</param>
/// <param name="Outcome">What the answer means.</param>
/// <param name="Answers">The A records returned.</param>
/// <param name="Text">For a listing, the list's TXT reason when it gives one; otherwise null.</param>
public sealed record DnsListResult(DnsListDefinition List, string Subject, string QueryName, DnsListOutcome Outcome, IReadOnlyList<IPAddress> Answers, string? Text);
