using System.Diagnostics;
using System.Globalization;

namespace Vouch.PolicyLoad;

/// <summary>Round-trip latency percentiles of a set of requests, in milliseconds (nearest-rank, exact: from all samples, not a histogram).</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double P999, double Max)
{
    /// <summary>Summarises <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks); the span is copied, not changed.</summary>
    public static LatencySummary Of(ReadOnlySpan<long> ticks)
    {
        if (ticks.IsEmpty)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), Rank(sorted, 0.999), Milliseconds(sorted[^1]));
    }

    /// <summary>"p50 0.412 ms, p99 …, p999 …, max …".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0.000} ms, p99 {P99:0.000} ms, p999 {P999:0.000} ms, max {Max:0.000} ms");

    private static double Rank(long[] sorted, double fraction) =>
        Milliseconds(sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
