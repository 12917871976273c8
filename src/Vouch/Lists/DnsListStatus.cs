namespace Vouch.Lists;

/// <summary>The health of one DNS list as its last self-test (RFC 5782 §5) found it.</summary>
/// <param name="List">The list.</param>
/// <param name="Suspended">True when the list failed its last conclusive self-test and is not queried; false before the first test.</param>
/// <param name="Detail">What the test points answered, e.g. "1.0.0.127.zen.example answered 127.0.0.2 but must not exist"; "not tested yet" before the first test.</param>
/// <param name="TestedAt">When the last self-test finished (conclusive or not); <see cref="DateTimeOffset.MinValue"/> before the first test.</param>
public sealed record DnsListStatus(DnsListDefinition List, bool Suspended, string Detail, DateTimeOffset TestedAt);
