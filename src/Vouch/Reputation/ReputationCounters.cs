namespace Vouch.Reputation;

/// <summary>
/// A row's counts: spam units, not-spam units and delivered recipient copies, all decaying with one half-life
/// from <see cref="UpdatedAt"/>, so that a silent owner's ratio freezes and only its weight shrinks.
/// </summary>
/// <param name="Spam">S: spam units.</param>
/// <param name="Ham">H: not-spam units.</param>
/// <param name="Delivered">D: recipient copies delivered.</param>
/// <param name="UpdatedAt">When the values were last decayed to.</param>
public readonly record struct ReputationCounters(double Spam, double Ham, double Delivered, DateTimeOffset UpdatedAt)
{
    /// <summary>The counts decayed to <paramref name="now"/>: x·2^(−Δt/T½). A time before <see cref="UpdatedAt"/> leaves them as they are.</summary>
    public ReputationCounters DecayedTo(DateTimeOffset now, TimeSpan halfLife)
    {
        var elapsed = now - UpdatedAt;
        if (elapsed <= TimeSpan.Zero)
        {
            return this;
        }

        var factor = ReputationModel.DecayFactor(elapsed, halfLife);
        return new ReputationCounters(Spam * factor, Ham * factor, Delivered * factor, now);
    }

    /// <summary>n = max(D, S + H): the messages the share is taken over (per recipient copy, like a mailbox provider's spam rate).</summary>
    public double Messages => Math.Max(Delivered, Spam + Ham);

    /// <summary>p̂ = max(0, S − H) / n, or 0 when n is 0.</summary>
    public double SpamShare => Messages <= 0 ? 0 : Math.Max(0, Spam - Ham) / Messages;

    /// <summary>The Wilson lower bound (95%) of <see cref="SpamShare"/> over <see cref="Messages"/>.</summary>
    public double LowerBound => ReputationModel.WilsonLowerBound(SpamShare, Messages);
}
