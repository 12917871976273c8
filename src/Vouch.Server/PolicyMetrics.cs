using System.Globalization;
using System.Text;
using Vouch.Dns.Caching;
using Vouch.Policy;
using Vouch.Reputation;

namespace Vouch.Server;

/// <summary>
/// The policy service's counters, shared across configuration reloads, rendered in the Prometheus text
/// exposition format: decisions by verdict and action, decision latency (histogram), skipped requests,
/// internal errors, open connections, and the DNS cache's counters. Lock-free and thread-safe.
/// </summary>
public sealed class PolicyMetrics(Func<DnsCacheStatistics?>? cacheStatistics = null, Func<ReputationStateMap?>? reputationMap = null)
{
    /// <summary>Reports by source and outcome, and state changes: counted by the ingest of every generation.</summary>
    public ReportCounters Reputation { get; } = new();

    private static readonly double[] BucketsMs = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 20000];
    private readonly long[] decisions = new long[3 * 4];
    private readonly long[] buckets = new long[BucketsMs.Length + 1];
    private long latencyMicroseconds;
    private long decisionCount;
    private long skipped;
    private long errors;
    private long forgedResultsRemoved;
    private long openConnections;

    /// <summary>Counts a decision and how long it took.</summary>
    public void RecordDecision(Verdict verdict, PolicyAction action, TimeSpan elapsed)
    {
        Interlocked.Increment(ref decisions[((int)verdict * 4) + (int)action]);
        var milliseconds = elapsed.TotalMilliseconds;
        var bucket = Array.FindIndex(BucketsMs, limit => milliseconds <= limit);
        Interlocked.Increment(ref buckets[bucket < 0 ? BucketsMs.Length : bucket]);
        Interlocked.Add(ref latencyMicroseconds, (long)(milliseconds * 1000));
        Interlocked.Increment(ref decisionCount);
    }

    /// <summary>Counts a request answered without checks (skip lists, nothing to check).</summary>
    public void RecordSkip() => Interlocked.Increment(ref skipped);

    /// <summary>Counts an internal error answered with the safe action.</summary>
    public void RecordError() => Interlocked.Increment(ref errors);

    /// <summary>Counts Authentication-Results fields the milter deleted because they carried our authserv-id.</summary>
    public void RecordForgedResultsRemoved(int count) => Interlocked.Add(ref forgedResultsRemoved, count);

    /// <summary>A connection opened.</summary>
    public void ConnectionOpened() => Interlocked.Increment(ref openConnections);

    /// <summary>A connection closed.</summary>
    public void ConnectionClosed() => Interlocked.Decrement(ref openConnections);

    /// <summary>The metrics in the Prometheus text format (version 0.0.4).</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# HELP vouch_decisions_total Decisions by verdict and action taken.");
        text.AppendLine("# TYPE vouch_decisions_total counter");
        foreach (var verdict in Enum.GetValues<Verdict>())
        {
            foreach (var action in Enum.GetValues<PolicyAction>())
            {
                text.Append(CultureInfo.InvariantCulture, $"vouch_decisions_total{{verdict=\"{Decision.Token(verdict)}\",action=\"{Decision.Token(action)}\"}} {Interlocked.Read(ref decisions[((int)verdict * 4) + (int)action])}\n");
            }
        }

        text.AppendLine("# HELP vouch_decision_duration_seconds Time from request to answer, checks included.");
        text.AppendLine("# TYPE vouch_decision_duration_seconds histogram");
        long cumulative = 0;
        for (var i = 0; i < BucketsMs.Length; i++)
        {
            cumulative += Interlocked.Read(ref buckets[i]);
            text.Append(CultureInfo.InvariantCulture, $"vouch_decision_duration_seconds_bucket{{le=\"{BucketsMs[i] / 1000}\"}} {cumulative}\n");
        }

        cumulative += Interlocked.Read(ref buckets[^1]);
        text.Append(CultureInfo.InvariantCulture, $"vouch_decision_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(CultureInfo.InvariantCulture, $"vouch_decision_duration_seconds_sum {Interlocked.Read(ref latencyMicroseconds) / 1e6}\n");
        text.Append(CultureInfo.InvariantCulture, $"vouch_decision_duration_seconds_count {Interlocked.Read(ref decisionCount)}\n");
        Counter(text, "vouch_skipped_total", "Requests answered without checks (skip lists, nothing to check).", Interlocked.Read(ref skipped));
        Counter(text, "vouch_errors_total", "Internal errors answered with the safe action.", Interlocked.Read(ref errors));
        Counter(text, "vouch_milter_forged_results_removed_total", "Authentication-Results fields carrying our authserv-id that the milter deleted (RFC 8601 section 5).", Interlocked.Read(ref forgedResultsRemoved));
        text.AppendLine("# HELP vouch_open_connections Policy connections open now.");
        text.AppendLine("# TYPE vouch_open_connections gauge");
        text.Append(CultureInfo.InvariantCulture, $"vouch_open_connections {Interlocked.Read(ref openConnections)}\n");
        if (cacheStatistics?.Invoke() is { } cache)
        {
            Counter(text, "vouch_dns_cache_hits_total", "DNS questions answered from the cache.", cache.Hits);
            Counter(text, "vouch_dns_cache_misses_total", "DNS questions not in the cache.", cache.Misses);
            Counter(text, "vouch_dns_queries_total", "DNS queries sent to the servers.", cache.Queries);
            Counter(text, "vouch_dns_joins_total", "Misses that joined a query already in flight.", cache.Joins);
            Counter(text, "vouch_dns_failures_total", "DNS queries that ended in a temporary failure.", cache.Failures);
            Counter(text, "vouch_dns_retransmissions_total", "UDP DNS queries sent again because no reply had come yet.", cache.Retransmissions);
            Counter(text, "vouch_dns_unanswered_total", "DNS queries to one server given up without a reply.", cache.Unanswered);
            Counter(text, "vouch_dns_queue_waits_total", "DNS queries that waited for an in-flight slot of their server.", cache.QueueWaits);
        }

        WriteReputation(text);
        return text.ToString();
    }

    private void WriteReputation(StringBuilder text)
    {
        if (reputationMap?.Invoke() is not { } map)
        {
            return;
        }

        text.AppendLine("# HELP vouch_rep_reports_total Reputation reports by source and outcome (counted, or why refused).");
        text.AppendLine("# TYPE vouch_rep_reports_total counter");
        foreach (var ((source, outcome), count) in Reputation.Reports.OrderBy(pair => pair.Key.Source).ThenBy(pair => pair.Key.Outcome, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"vouch_rep_reports_total{{source=\"{source.ToToken()}\",outcome=\"{outcome}\"}} {count}\n");
        }

        text.AppendLine("# HELP vouch_rep_state_changes_total Reputation rows entering a state.");
        text.AppendLine("# TYPE vouch_rep_state_changes_total counter");
        foreach (var state in Enum.GetValues<ReputationState>())
        {
            text.Append(CultureInfo.InvariantCulture, $"vouch_rep_state_changes_total{{to=\"{state.ToToken()}\"}} {(Reputation.StateChanges.TryGetValue(state, out var count) ? count : 0)}\n");
        }

        text.AppendLine("# HELP vouch_rep_blocked_owners Rows blocked now, in the live state map.");
        text.AppendLine("# TYPE vouch_rep_blocked_owners gauge");
        text.Append(CultureInfo.InvariantCulture, $"vouch_rep_blocked_owners {map.Rows.Count(row => row.State == ReputationState.Blocked)}\n");
        text.AppendLine("# HELP vouch_rep_store_known Whether the reputation store answered lately (1) or reputation is unknown (0).");
        text.AppendLine("# TYPE vouch_rep_store_known gauge");
        text.Append(CultureInfo.InvariantCulture, $"vouch_rep_store_known {(map.IsKnown ? 1 : 0)}\n");
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
    }
}
