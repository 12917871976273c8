using System.Diagnostics;
using System.Globalization;

namespace Vouch.ReputationLoad;

/// <summary>Latency percentiles over all samples (nearest rank), in milliseconds.</summary>
internal static class Latency
{
    /// <summary>"p50 … ms, p99 … ms, max … ms" of <paramref name="ticks"/> (Stopwatch ticks; the array is sorted).</summary>
    public static string Describe(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return "no samples";
        }

        Array.Sort(ticks);
        double Rank(double fraction) => Milliseconds(ticks[Math.Clamp((int)Math.Ceiling(fraction * ticks.Length) - 1, 0, ticks.Length - 1)]);
        return string.Create(CultureInfo.InvariantCulture, $"p50 {Rank(0.50):0.000} ms, p99 {Rank(0.99):0.000} ms, max {Milliseconds(ticks[^1]):0.000} ms");
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
