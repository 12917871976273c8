using System.Collections.Concurrent;

namespace Vouch.Reputation;

/// <summary>Reports by source and outcome, and state changes by the state entered: what the metrics endpoint shows. Thread-safe.</summary>
public sealed class ReportCounters
{
    private readonly ConcurrentDictionary<(ReportSource Source, string Outcome), long> reports = new();
    private readonly ConcurrentDictionary<ReputationState, long> stateChanges = new();

    /// <summary>Counts a report's outcome.</summary>
    public void RecordReport(ReportSource source, string outcome) => reports.AddOrUpdate((source, outcome), 1, (_, count) => count + 1);

    /// <summary>Counts a row entering <paramref name="state"/>.</summary>
    public void RecordStateChange(ReputationState state) => stateChanges.AddOrUpdate(state, 1, (_, count) => count + 1);

    /// <summary>Reports by (source, outcome).</summary>
    public IReadOnlyDictionary<(ReportSource Source, string Outcome), long> Reports => reports;

    /// <summary>State changes by the state entered.</summary>
    public IReadOnlyDictionary<ReputationState, long> StateChanges => stateChanges;
}
