using Vouch.Dns.Wire;

namespace Vouch.Tests.Dns.Wire;

/// <summary>The RFC 6298 estimator and the back-off schedule built on it: pure arithmetic, no clock.</summary>
public sealed class RetransmissionTimerTests
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(2);

    private static RetransmissionTimer Timer() => new(TimeSpan.FromMilliseconds(250), Floor, Cap);

    [Fact]
    public void BeforeAnyMeasurementTheInitialIntervalDoublesUpToTheCap()
    {
        var timer = Timer();

        Assert.Equal(
            [250, 500, 1000, 2000, 2000],
            Enumerable.Range(0, 5).Select(k => timer.Interval(k).TotalMilliseconds));
    }

    [Fact]
    public void TheFirstSampleSetsSrttAndHalfOfItAsVariation()
    {
        var timer = Timer();

        timer.Sample(TimeSpan.FromMilliseconds(100));

        // RFC 6298 §2.2: RTO = R + 4 · R/2 = 3R.
        Assert.Equal(TimeSpan.FromMilliseconds(300), timer.Current);
        Assert.Equal(TimeSpan.FromMilliseconds(600), timer.Interval(1));
    }

    [Fact]
    public void LaterSamplesAreSmoothed()
    {
        var timer = Timer();

        timer.Sample(TimeSpan.FromMilliseconds(100));
        timer.Sample(TimeSpan.FromMilliseconds(200));

        // RFC 6298 §2.3: RTTVAR = 3/4 · 50 + 1/4 · |100 − 200| = 62.5; SRTT = 7/8 · 100 + 1/8 · 200 = 112.5.
        Assert.Equal(TimeSpan.FromMilliseconds(112.5 + (4 * 62.5)), timer.Current);
    }

    [Fact]
    public void AFastServerIsRetransmittedToAfterTheFloorNotSooner()
    {
        var timer = Timer();

        for (var i = 0; i < 50; i++)
        {
            timer.Sample(TimeSpan.FromMilliseconds(0.2));
        }

        Assert.Equal(Floor, timer.Current);
        Assert.Equal([50, 100, 200, 400, 800, 1600, 2000], Enumerable.Range(0, 7).Select(k => timer.Interval(k).TotalMilliseconds));
    }

    [Fact]
    public void ASlowServerIsCappedAtTheTimeoutAndTheCapWinsOverTheFloor()
    {
        var timer = Timer();
        timer.Sample(TimeSpan.FromSeconds(5));
        var tiny = new RetransmissionTimer(TimeSpan.FromMilliseconds(250), Floor, TimeSpan.FromMilliseconds(10));

        Assert.Equal(Cap, timer.Current);
        Assert.Equal(Cap, timer.Interval(40));
        Assert.Equal(TimeSpan.FromMilliseconds(10), tiny.Interval(0));
    }
}
