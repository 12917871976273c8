namespace Vouch.Dns;

/// <summary>A snapshot of a <see cref="CachingResolver"/>'s counters since it was created.</summary>
/// <param name="Hits">Questions answered from the cache.</param>
/// <param name="Misses">Questions not in the cache (or expired there).</param>
/// <param name="Queries">Questions sent on to the resolver behind the cache.</param>
/// <param name="Joins">Misses that joined a query already in flight instead of sending their own.</param>
/// <param name="Failures">Queries that ended in a temporary failure.</param>
/// <param name="Entries">Answers held now.</param>
public sealed record DnsCacheStatistics(long Hits, long Misses, long Queries, long Joins, long Failures, int Entries);
