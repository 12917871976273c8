using Vouch.Dns.Wire;

namespace Vouch.Dns.Caching;

/// <summary>
/// A snapshot of a <see cref="CachingResolver"/>'s counters since it was created, with those of the
/// <see cref="NetworkResolver"/> behind it when there is one (0 otherwise).
/// </summary>
/// <param name="Hits">Questions answered from the cache.</param>
/// <param name="Misses">Questions not in the cache (or expired there).</param>
/// <param name="Queries">Questions sent on to the resolver behind the cache.</param>
/// <param name="Joins">Misses that joined a query already in flight instead of sending their own.</param>
/// <param name="Failures">Queries that ended in a temporary failure.</param>
/// <param name="Entries">Answers held now.</param>
/// <param name="Retransmissions">UDP datagrams sent again because no reply had come yet (<see cref="NetworkResolverStatistics.Retransmissions"/>).</param>
/// <param name="Unanswered">Queries to one server given up without a reply (<see cref="NetworkResolverStatistics.Unanswered"/>).</param>
/// <param name="QueueWaits">Queries that waited for an in-flight slot (<see cref="NetworkResolverStatistics.QueueWaits"/>).</param>
public sealed record DnsCacheStatistics(
    long Hits, long Misses, long Queries, long Joins, long Failures, int Entries, long Retransmissions = 0, long Unanswered = 0, long QueueWaits = 0);
