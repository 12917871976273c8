namespace Vouch.Dns.Wire;

/// <summary>A snapshot of a <see cref="NetworkResolver"/>'s UDP counters since it was created.</summary>
/// <param name="Retransmissions">Datagrams sent again because no reply had come yet (the first transmission of a query is not counted).</param>
/// <param name="Unanswered">Queries to one server that got no reply in the server's time (or waited that long for a slot): the resolver gave up on that server.</param>
/// <param name="QueueWaits">Queries that waited for a slot because the server had <see cref="NetworkResolverOptions.MaxInFlightPerServer"/> queries in flight.</param>
public sealed record NetworkResolverStatistics(long Retransmissions, long Unanswered, long QueueWaits);
