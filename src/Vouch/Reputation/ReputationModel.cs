namespace Vouch.Reputation;

/// <summary>
/// The arithmetic of reputation, shared by every store (the Redis script mirrors it, and one test suite holds
/// both to it): decay, the Wilson lower bound and the state table with hysteresis.
/// </summary>
public static class ReputationModel
{
    /// <summary>
    /// Spam units this close below a threshold count as reaching it: decay takes a little off every report at once,
    /// so five reports made within about an hour (not exactly 5.0 after decay) still count as five.
    /// </summary>
    public const double UnitTolerance = 0.01;

    /// <summary>z for a 95% interval.</summary>
    public const double Z = 1.96;

    /// <summary>2^(−elapsed/halfLife).</summary>
    public static double DecayFactor(TimeSpan elapsed, TimeSpan halfLife) =>
        elapsed <= TimeSpan.Zero || halfLife <= TimeSpan.Zero ? 1 : Math.Pow(2, -elapsed.TotalSeconds / halfLife.TotalSeconds);

    /// <summary>
    /// The lower bound of the Wilson score interval for a share <paramref name="share"/> of <paramref name="count"/>
    /// trials: the share one can be 97.5% sure is not exceeded from below. 0 when there are no trials.
    /// </summary>
    public static double WilsonLowerBound(double share, double count, double z = Z)
    {
        if (count <= 0)
        {
            return 0;
        }

        share = Math.Clamp(share, 0, 1);
        var z2 = z * z;
        var centre = share + (z2 / (2 * count));
        var spread = z * Math.Sqrt((share * (1 - share) / count) + (z2 / (4 * count * count)));
        return Math.Max(0, (centre - spread) / (1 + (z2 / count)));
    }

    /// <summary>
    /// The state a row moves to from <paramref name="previous"/> given its decayed counts. Blocked needs at least
    /// one human, trap or ARF reporter (<paramref name="hasTrustedSource"/>); a capped row (a big shared
    /// provider at owner level) never goes above suspect.
    /// </summary>
    public static ReputationState NextState(ReputationState previous, ReputationCounters counters, int reporters, bool hasTrustedSource, bool capAtSuspect, ReputationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var spam = counters.Spam + UnitTolerance;
        var bound = counters.LowerBound;
        if (!capAtSuspect)
        {
            if (previous == ReputationState.Blocked && spam >= thresholds.ReleaseSpam && bound >= thresholds.ReleaseLowerBound)
            {
                return ReputationState.Blocked;
            }

            if (spam >= thresholds.BlockSpam && reporters >= thresholds.BlockReporters && bound >= thresholds.BlockLowerBound && hasTrustedSource)
            {
                return ReputationState.Blocked;
            }
        }

        if (previous != ReputationState.Neutral && spam >= thresholds.ClearSpam && bound >= thresholds.ClearLowerBound)
        {
            return ReputationState.Suspect;
        }

        return spam >= thresholds.SuspectSpam && reporters >= thresholds.SuspectReporters && bound >= thresholds.SuspectLowerBound
            ? ReputationState.Suspect
            : ReputationState.Neutral;
    }

    /// <summary>
    /// How long, with no new reports, until a blocked row's spam units fall below the release threshold:
    /// T½·log2(S / release). Zero when they already have.
    /// </summary>
    public static TimeSpan TimeToRelease(double spam, ReputationThresholds thresholds, TimeSpan halfLife)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return spam < thresholds.ReleaseSpam || thresholds.ReleaseSpam <= 0 ? TimeSpan.Zero : halfLife * Math.Log2(spam / thresholds.ReleaseSpam);
    }
}
