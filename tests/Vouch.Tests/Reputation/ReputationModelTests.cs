using Vouch.Reputation;

namespace Vouch.Tests.Reputation;

/// <summary>The arithmetic: the Wilson vectors of the issue and the research brief, decay, and the state table with its hysteresis.</summary>
public sealed class ReputationModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReputationThresholds Defaults = new();

    [Theory]
    [InlineData(10, 50, 0.1124)]
    [InlineData(5, 5, 0.5655)]
    [InlineData(12, 40, 0.1807)]
    [InlineData(6, 2000, 0.0014)]
    [InlineData(5, 100, 0.0215)]
    public void The_Wilson_lower_bound_matches_the_published_vectors(double spam, double messages, double expected) =>
        Assert.Equal(expected, ReputationModel.WilsonLowerBound(spam / messages, messages), 4);

    [Fact]
    public void No_messages_give_a_lower_bound_of_zero() => Assert.Equal(0, ReputationModel.WilsonLowerBound(0, 0));

    [Fact]
    public void After_one_half_life_every_count_halves()
    {
        var counters = new ReputationCounters(12, 2, 40, Now).DecayedTo(Now.AddDays(14), TimeSpan.FromDays(14));
        Assert.Equal((6.0, 1.0, 20.0), (Math.Round(counters.Spam, 9), Math.Round(counters.Ham, 9), Math.Round(counters.Delivered, 9)));
    }

    [Fact]
    public void Decay_in_steps_equals_decay_at_once_and_reading_twice_changes_nothing()
    {
        var start = new ReputationCounters(10, 0, 0, Now);
        var halfLife = TimeSpan.FromDays(14);
        var stepped = start.DecayedTo(Now.AddDays(3), halfLife).DecayedTo(Now.AddDays(10), halfLife).DecayedTo(Now.AddDays(10), halfLife);
        Assert.Equal(start.DecayedTo(Now.AddDays(10), halfLife).Spam, stepped.Spam, 9);
        Assert.Equal(start, start.DecayedTo(Now.AddDays(-1), halfLife));
    }

    [Fact]
    public void A_spam_run_of_12_reports_from_6_recipients_in_40_deliveries_blocks() =>
        Assert.Equal(ReputationState.Blocked, Next(ReputationState.Neutral, 12, 0, 40, 6));

    [Fact]
    public void A_newsletter_with_6_reports_in_2000_deliveries_stays_neutral() =>
        Assert.Equal(ReputationState.Neutral, Next(ReputationState.Neutral, 6, 0, 2000, 6));

    [Fact]
    public void Five_reports_in_100_deliveries_make_a_suspect_not_a_block() =>
        Assert.Equal(ReputationState.Suspect, Next(ReputationState.Neutral, 5, 0, 100, 5));

    [Fact]
    public void One_reporter_never_blocks_however_many_units()
    {
        Assert.Equal(ReputationState.Neutral, Next(ReputationState.Neutral, 50, 0, 50, 1));
        Assert.Equal(ReputationState.Suspect, Next(ReputationState.Neutral, 50, 0, 50, 2));
    }

    [Fact]
    public void Four_reports_from_four_people_do_not_block_and_the_fifth_does()
    {
        Assert.NotEqual(ReputationState.Blocked, Next(ReputationState.Neutral, 4, 0, 20, 4));
        Assert.Equal(ReputationState.Blocked, Next(ReputationState.Neutral, 5, 0, 20, 5));
    }

    [Fact]
    public void Five_reports_a_few_minutes_apart_still_block_though_decay_took_a_little_off()
    {
        var counters = new ReputationCounters(0, 0, 20, Now);
        for (var i = 0; i < 5; i++)
        {
            counters = counters.DecayedTo(Now.AddMinutes(i * 5), TimeSpan.FromDays(14)) with { Spam = counters.DecayedTo(Now.AddMinutes(i * 5), TimeSpan.FromDays(14)).Spam + 1 };
        }

        Assert.True(counters.Spam < 5);
        Assert.Equal(ReputationState.Blocked, ReputationModel.NextState(ReputationState.Neutral, counters, 5, hasTrustedSource: true, capAtSuspect: false, Defaults));
        Assert.Equal(ReputationState.Suspect, ReputationModel.NextState(ReputationState.Neutral, counters with { Spam = 4.9 }, 5, hasTrustedSource: true, capAtSuspect: false, Defaults));
    }

    [Fact]
    public void Filter_reports_alone_stop_at_suspect() =>
        Assert.Equal(ReputationState.Suspect, ReputationModel.NextState(ReputationState.Neutral, new ReputationCounters(12, 0, 40, Now), 6, hasTrustedSource: false, capAtSuspect: false, Defaults));

    [Fact]
    public void A_provider_owner_row_stops_at_suspect() =>
        Assert.Equal(ReputationState.Suspect, ReputationModel.NextState(ReputationState.Blocked, new ReputationCounters(12, 0, 40, Now), 6, hasTrustedSource: true, capAtSuspect: true, Defaults));

    [Fact]
    public void A_blocked_row_stays_blocked_between_the_leave_and_enter_thresholds_and_leaves_below_them()
    {
        // S = 3 is below the 5 needed to enter, above the 2 needed to stay.
        Assert.Equal(ReputationState.Blocked, Next(ReputationState.Blocked, 3, 0, 20, 3));
        Assert.Equal(ReputationState.Suspect, Next(ReputationState.Neutral, 3, 0, 20, 3));
        Assert.Equal(ReputationState.Suspect, Next(ReputationState.Blocked, 1.9, 0, 20, 3));
        Assert.Equal(ReputationState.Neutral, Next(ReputationState.Suspect, 0.9, 0, 20, 3));
    }

    [Fact]
    public void Alternating_small_changes_around_the_threshold_do_not_flap()
    {
        var state = ReputationState.Neutral;
        var states = new List<ReputationState>();
        foreach (var spam in new[] { 5.0, 4.6, 5.1, 4.4, 5.2, 3.9, 4.8 })
        {
            state = Next(state, spam, 0, 20, 4);
            states.Add(state);
        }

        Assert.All(states, s => Assert.Equal(ReputationState.Blocked, s));
    }

    [Fact]
    public void Ham_lowers_the_share_that_the_bound_is_taken_of() =>
        Assert.Equal(ReputationState.Neutral, Next(ReputationState.Neutral, 6, 5, 20, 6));

    [Theory]
    [InlineData(10, 32.5)]
    [InlineData(12, 36.2)]
    [InlineData(1, 0)]
    public void Release_without_new_reports_takes_the_half_life_times_log2_of_s_over_2(double spam, double days) =>
        Assert.Equal(days, Math.Round(ReputationModel.TimeToRelease(spam, Defaults, TimeSpan.FromDays(14)).TotalDays, 1));

    private static ReputationState Next(ReputationState previous, double spam, double ham, double delivered, int reporters) =>
        ReputationModel.NextState(previous, new ReputationCounters(spam, ham, delivered, Now), reporters, hasTrustedSource: true, capAtSuspect: false, Defaults);
}
