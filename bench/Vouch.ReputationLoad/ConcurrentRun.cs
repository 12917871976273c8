using System.Diagnostics;
using System.Globalization;

namespace Vouch.ReputationLoad;

/// <summary>
/// Runs <c>count</c> numbered jobs with at most <c>concurrency</c> in flight (each worker takes the next number
/// when its job is done, as that many reporters sending one report after another would), timing each job and the whole.
/// No job starts after the deadline: a slow pass stops early and counts what was done.
/// </summary>
internal static class ConcurrentRun
{
    /// <summary>Runs the jobs; returns the elapsed time and the latency of every job done, in Stopwatch ticks.</summary>
    public static async Task<(TimeSpan Elapsed, long[] Latencies)> RunAsync(int count, int concurrency, TimeSpan deadline, Func<int, Task> job)
    {
        var latencies = new long[count];
        var next = -1;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int number;
            while (Stopwatch.GetTimestamp() < stopAt && (number = Interlocked.Increment(ref next)) < count)
            {
                var at = Stopwatch.GetTimestamp();
                await job(number).ConfigureAwait(false);
                latencies[number] = Stopwatch.GetTimestamp() - at;
                Interlocked.Increment(ref done);
            }
        })).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (elapsed, [.. latencies.Where(ticks => ticks > 0)]);
    }

    /// <summary>"N reports in S s, R reports/s; latency …".</summary>
    public static string Describe(string what, int count, TimeSpan elapsed, long[] latencies) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: {count:N0} reports in {elapsed.TotalSeconds:0.000} s, {count / Math.Max(elapsed.TotalSeconds, 1e-9):N0} reports/s; latency {Latency.Describe(latencies)}");
}
