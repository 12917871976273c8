namespace Vouch.Spf;

/// <summary>The client's forward-confirmed PTR names, and how the PTR lookup went.</summary>
/// <param name="PtrStatus">The PTR lookup's status.</param>
/// <param name="Names">The validated names, normalized, in PTR order.</param>
internal sealed record ValidatedNames(Dns.DnsStatus PtrStatus, IReadOnlyList<string> Names);
