using System.Diagnostics;
using System.Globalization;
using Vouch.Dns.Caching;

namespace Vouch.Cli;

/// <summary>
/// With --stats N: every N answered lines (and at the end), one line on stderr for that window: lines,
/// seconds, checks per second, DNS queries sent (and per check), cache hits, UDP retransmissions and queries
/// given up on a server (unanswered), and the latency from reading a
/// line to knowing its answer (p50, p99, max). Feeding the same lines twice shows cold and warm.
/// </summary>
internal sealed class BatchStatistics(int window, CachingResolver? cache, TextWriter error)
{
    private readonly List<double> latencies = new(window);
    private long windowStart = Stopwatch.GetTimestamp();
    private DnsCacheStatistics? cacheAtStart = cache?.Statistics;

    public void Record(TimeSpan latency)
    {
        latencies.Add(latency.TotalMilliseconds);
        if (latencies.Count >= window)
        {
            Report();
        }
    }

    public void Complete()
    {
        if (latencies.Count > 0)
        {
            Report();
        }
    }

    private void Report()
    {
        var seconds = Stopwatch.GetElapsedTime(windowStart).TotalSeconds;
        latencies.Sort();
        var count = latencies.Count;
        var now = cache?.Statistics;
        var dns = now is null || cacheAtStart is null
            ? "DNS queries n/a (no network resolver)"
            : string.Create(CultureInfo.InvariantCulture,
                $"DNS queries {now.Queries - cacheAtStart.Queries} ({(double)(now.Queries - cacheAtStart.Queries) / count:0.00} per check), cache hits {now.Hits - cacheAtStart.Hits}, joins {now.Joins - cacheAtStart.Joins}, retransmissions {now.Retransmissions - cacheAtStart.Retransmissions}, unanswered {now.Unanswered - cacheAtStart.Unanswered}");
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stats: lines {count}, {seconds:0.000} s, {count / seconds:0} checks/s, {dns}, latency p50 {Percentile(0.50):0.000} ms, p99 {Percentile(0.99):0.000} ms, max {latencies[^1]:0.000} ms"));
        latencies.Clear();
        windowStart = Stopwatch.GetTimestamp();
        cacheAtStart = now;
    }

    private double Percentile(double fraction) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(fraction * latencies.Count) - 1)];
}
