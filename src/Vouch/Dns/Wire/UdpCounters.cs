namespace Vouch.Dns.Wire;

/// <summary>The UDP counters a <see cref="NetworkResolver"/>'s socket pools add to (thread-safe).</summary>
internal sealed class UdpCounters
{
    private long retransmissions;
    private long unanswered;
    private long queueWaits;

    /// <summary>The counters now.</summary>
    public NetworkResolverStatistics Snapshot => new(Interlocked.Read(ref retransmissions), Interlocked.Read(ref unanswered), Interlocked.Read(ref queueWaits));

    public void Retransmitted() => Interlocked.Increment(ref retransmissions);

    public void GaveUp() => Interlocked.Increment(ref unanswered);

    public void Queued() => Interlocked.Increment(ref queueWaits);
}
