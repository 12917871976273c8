namespace Vouch.Dns.Wire;

/// <summary>
/// One server's retransmission timeout, from the round-trip times of its replies (RFC 6298 §2: SRTT and
/// RTTVAR with α = 1/8, β = 1/4, RTO = SRTT + 4·RTTVAR), never below a floor nor above a cap. Only replies
/// to queries sent once are measured (Karn's rule, RFC 6298 §3): a reply to a retransmitted query may answer
/// either transmission. Thread-safe.
/// </summary>
internal sealed class RetransmissionTimer
{
    private readonly Lock gate = new();
    private readonly TimeSpan initial;
    private readonly TimeSpan minimum;
    private readonly TimeSpan maximum;
    private double smoothedTicks;
    private double variationTicks;
    private bool measured;

    /// <summary>Creates the timer of a server not measured yet.</summary>
    /// <param name="initial">The timeout before the first measurement.</param>
    /// <param name="minimum">The floor of every interval.</param>
    /// <param name="maximum">The cap of every interval; it wins over the floor.</param>
    public RetransmissionTimer(TimeSpan initial, TimeSpan minimum, TimeSpan maximum)
    {
        this.initial = initial;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    /// <summary>The retransmission timeout now (before back-off), floored and capped.</summary>
    public TimeSpan Current => Interval(0);

    /// <summary>
    /// How long to wait after transmission <paramref name="transmission"/> (0 for the first) before sending
    /// again: the timeout doubled per earlier transmission (RFC 6298 §5.5; RFC 1035 §4.2.1 asks for
    /// exponential back-off), floored and capped.
    /// </summary>
    public TimeSpan Interval(int transmission)
    {
        double ticks;
        lock (gate)
        {
            ticks = measured ? smoothedTicks + (4 * variationTicks) : initial.Ticks;
        }

        return Clamp(Math.Max(ticks, minimum.Ticks) * Math.Pow(2, Math.Min(transmission, 30)));
    }

    /// <summary>Takes the round-trip time of a reply to a query sent once.</summary>
    public void Sample(TimeSpan roundTrip)
    {
        var r = (double)Math.Max(roundTrip.Ticks, 0);
        lock (gate)
        {
            if (!measured)
            {
                // RFC 6298 §2.2: the first measurement.
                smoothedTicks = r;
                variationTicks = r / 2;
                measured = true;
                return;
            }

            // RFC 6298 §2.3: RTTVAR first, with the SRTT it had.
            variationTicks = (0.75 * variationTicks) + (0.25 * Math.Abs(smoothedTicks - r));
            smoothedTicks = (0.875 * smoothedTicks) + (0.125 * r);
        }
    }

    private TimeSpan Clamp(double ticks) =>
        TimeSpan.FromTicks((long)Math.Min(Math.Max(ticks, minimum.Ticks), maximum.Ticks));
}
