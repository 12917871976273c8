using System.Globalization;
using Vouch.Reputation;

namespace Vouch.Cli;

/// <summary>Reputation rows as a person reads them: state, decayed numbers, the thresholds they are held to, the time to release.</summary>
internal static class ReputationText
{
    /// <summary>One row: "example.com via -: blocked since 2026-12-01 (pinned: …); S=12.0 … ≥ 5; LB 18.07% ≥ 5%; release in ≈ 36 days".</summary>
    public static string Row(ReputationRow row, ReputationOptions options)
    {
        var thresholds = options.Thresholds;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{row.Key}: {row.State.ToToken()} since {row.Since:yyyy-MM-dd HH:mm}Z{(row.Pinned ? $" (pinned: {row.Reason})" : "")}; {row.Numbers}");
        text += row.State switch
        {
            ReputationState.Blocked when !row.Pinned => string.Create(CultureInfo.InvariantCulture,
                $"; stays blocked while S ≥ {thresholds.ReleaseSpam:0.##} and LB ≥ {thresholds.ReleaseLowerBound:0.##%}; release in ≈ {ReputationModel.TimeToRelease(row.Counters.Spam, thresholds, options.HalfLife).TotalDays:0} days without new reports"),
            ReputationState.Suspect when !row.Pinned => string.Create(CultureInfo.InvariantCulture,
                $"; blocks at S ≥ {thresholds.BlockSpam:0.##} from R ≥ {thresholds.BlockReporters} with LB ≥ {thresholds.BlockLowerBound:0.##%}; clears below S {thresholds.ClearSpam:0.##} or LB {thresholds.ClearLowerBound:0.###%}"),
            ReputationState.Neutral => string.Create(CultureInfo.InvariantCulture,
                $"; suspect at S ≥ {thresholds.SuspectSpam:0.##} from R ≥ {thresholds.SuspectReporters} with LB ≥ {thresholds.SuspectLowerBound:0.##%}, blocked at S ≥ {thresholds.BlockSpam:0.##} from R ≥ {thresholds.BlockReporters} with LB ≥ {thresholds.BlockLowerBound:0.##%}"),
            _ => "",
        };
        if (row.LastReport is { } last)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; last report {last:yyyy-MM-dd}");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $"; T½ {options.HalfLife.TotalDays:0.#} days");
    }

    /// <summary>The lines of <c>vouch explain</c>'s reputation part.</summary>
    public static void WriteFinding(TextWriter output, ReputationFinding finding, IReadOnlyList<ReputationRow> rows, ReputationOptions options)
    {
        output.WriteLine($"Owner reputation: {finding.Token}");
        if (!finding.Kept)
        {
            output.WriteLine("  (turned off: [reputation] enabled = false)");
            return;
        }

        if (!finding.Known)
        {
            output.WriteLine("  the store has not answered lately: reputation is unknown, and no reputation row holds (never black)");
        }

        output.WriteLine(finding.Vouching is { } vouching
            ? $"  vouched for by {vouching.Owner} via {vouching.ViaText} ({vouching.Method.ToToken()}, {vouching.Strength.ToToken()}: {vouching.Term}, domain {vouching.Domain})"
            : "  no domain vouches for the client: a report charges its address only");
        foreach (var charge in finding.Charges)
        {
            var row = rows.FirstOrDefault(r => r.Key == charge.Key) ?? ReputationRow.Empty(charge.Key, DateTimeOffset.UtcNow);
            var share = charge.Share == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" (charged at ×{charge.Share:0.##})");
            var cap = charge.CapAtSuspect ? " (a big shared provider: this row stops at suspect)" : "";
            output.WriteLine($"  {Row(row, options)}{share}{cap}");
        }
    }
}
