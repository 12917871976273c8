using System.Globalization;

namespace Vouch.Reputation;

/// <summary>
/// The bookkeeping every store shares (the Redis script mirrors it line by line): what a report may charge, the
/// buckets the distinct-reporter count is kept in, the UTC day of the reporter cap, and how a row is judged.
/// </summary>
internal static class ReputationLedger
{
    /// <summary>Reporters are counted per row in 7-day buckets (HyperLogLogs in Redis); R covers the buckets that overlap the reporter window.</summary>
    public static readonly TimeSpan ReporterBucket = TimeSpan.FromDays(7);

    /// <summary>Counter rows whose decayed values all fall below this are pruned (when neutral and not pinned).</summary>
    public const double PruneBelow = 0.01;

    /// <summary>A cap with less than this left is spent (sums of quarter units are not exact in binary).</summary>
    public const double Spent = 1e-9;

    /// <summary>The audit action that lifts a pin instead of setting one.</summary>
    public const string Unpin = "unpin";

    /// <summary>Checks a report and returns the one subject all its charges share.</summary>
    /// <exception cref="ArgumentException">No charges, charges of several subjects, or a weight or share that is not a positive number.</exception>
    public static string Validate(ReputationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(report.Ticket, nameof(report));
        ArgumentException.ThrowIfNullOrEmpty(report.Reporter, nameof(report));
        if (!double.IsFinite(report.Weight) || report.Weight <= 0)
        {
            throw new ArgumentException($"A report's weight must be a positive number, not {report.Weight.ToString(CultureInfo.InvariantCulture)}.", nameof(report));
        }

        return ValidateCharges(report.Charges, nameof(report));
    }

    /// <summary>Checks charges (at least one, one subject, positive shares) and returns their subject.</summary>
    public static string ValidateCharges(IReadOnlyList<ReputationCharge> charges, string parameter)
    {
        ArgumentNullException.ThrowIfNull(charges, parameter);
        if (charges.Count == 0)
        {
            throw new ArgumentException("A report or delivery must charge at least one row.", parameter);
        }

        var subject = charges[0].Key.Subject;
        foreach (var charge in charges)
        {
            if (charge.Key.Subject != subject)
            {
                // One subject per report keeps every key of a report in one Redis hash slot, and the cap per owner well defined.
                throw new ArgumentException($"All rows of one report must share a subject: {subject} and {charge.Key.Subject}.", parameter);
            }

            if (!double.IsFinite(charge.Share) || charge.Share <= 0)
            {
                throw new ArgumentException($"A charge's share must be a positive number ({charge.Key}).", parameter);
            }
        }

        return subject;
    }

    /// <summary>The units a report may add: its weight, or what is left of the reporter's cap today; 0 when nothing is left.</summary>
    public static double Units(double weight, double cap, double used)
    {
        var left = cap - used;
        return left <= Spent ? 0 : Math.Min(weight, left);
    }

    /// <summary>The UTC day of the cap, as yyyymmdd.</summary>
    public static int Day(DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return (day.Year * 10000) + (day.Month * 100) + day.Day;
    }

    /// <summary>The 7-day bucket of a moment (counted from the Unix epoch).</summary>
    public static long Bucket(DateTimeOffset at) => (long)Math.Floor(at.ToUnixTimeMilliseconds() / ReporterBucket.TotalMilliseconds);

    /// <summary>The first and last bucket R counts at <paramref name="now"/>: those overlapping [now − window, now].</summary>
    public static (long First, long Last) ReporterBuckets(DateTimeOffset now, TimeSpan window) => (Bucket(now - window), Bucket(now));

    /// <summary>What a cancelled event still weighs at <paramref name="at"/>: its units, decayed since it was counted.</summary>
    public static double Withdrawal(double units, DateTimeOffset counted, DateTimeOffset at, TimeSpan halfLife) =>
        units * ReputationModel.DecayFactor(at - counted, halfLife);

    /// <summary>
    /// A rank that orders rows by decayed spam units at any moment (all decay alike): log2(S) + t/T½; null when S is 0.
    /// </summary>
    public static double? Rank(double spam, DateTimeOffset updated, TimeSpan halfLife) =>
        spam <= 0 ? null : Math.Log2(spam) + (updated.ToUnixTimeMilliseconds() / halfLife.TotalMilliseconds);

    /// <summary>
    /// Judges a row: a pinned row keeps its state; otherwise <see cref="ReputationModel.NextState"/>. On a change the
    /// row enters the new state at <paramref name="at"/>, with its numbers as the reason.
    /// </summary>
    public static ReputationRow Judge(ReputationRow row, bool capAtSuspect, DateTimeOffset at, ReputationThresholds thresholds)
    {
        if (row.Pinned)
        {
            return row;
        }

        var next = ReputationModel.NextState(row.State, row.Counters, row.Reporters, row.HasTrustedSource, capAtSuspect, thresholds);
        return next == row.State ? row : row with { State = next, Since = at, Reason = row.Numbers };
    }
}
