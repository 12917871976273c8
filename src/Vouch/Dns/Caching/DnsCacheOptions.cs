namespace Vouch.Dns.Caching;

/// <summary>Settings of the <see cref="CachingResolver"/>; every default is stated.</summary>
public sealed record DnsCacheOptions
{
    /// <summary>The most answers kept; the least recently used go first. Default 100,000 (a few tens of MB at most).</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Answers are kept at least this long, whatever their TTL. Default 0: TTLs are honoured as published.</summary>
    public TimeSpan MinimumTtl { get; init; } = TimeSpan.Zero;

    /// <summary>Answers are kept at most this long, whatever their TTL. Default 1 day.</summary>
    public TimeSpan MaximumTtl { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long a temporary failure (SERVFAIL, timeout) is remembered, so a failing server is not hammered. Default 2 seconds.</summary>
    public TimeSpan FailureTtl { get; init; } = TimeSpan.FromSeconds(2);
}
