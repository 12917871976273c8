namespace Vouch.Lists;

/// <summary>A DNS list's state after its last self-test.</summary>
/// <param name="List">The list.</param>
/// <param name="Suspended">True when the list failed its self-test and is not being asked.</param>
/// <param name="Detail">What the self-test saw, in a few words.</param>
/// <param name="TestedAt">When it was tested; <see cref="DateTimeOffset.MinValue"/> before the first test.</param>
public sealed record DnsListStatus(DnsListDefinition List, bool Suspended, string Detail, DateTimeOffset TestedAt);
