using Vouch.Reputation;

namespace Vouch.Tests.Reputation;

/// <summary>
/// What every reputation store must do (research/reputation.md §5.9), written once: each backend's test class derives
/// from this and opens its stores on the test's own database or key prefix. Time is passed explicitly; nothing sleeps.
/// </summary>
public abstract class ReputationStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IReputationStore> opened = [];

    protected static ReputationOptions Options { get; } = new() { Enabled = true };

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>A store on this test's own data; every call is another instance on the same data (a second node, or a restart).</summary>
    protected abstract IReputationStore CreateStore(ReputationOptions options);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }
    }

    protected IReputationStore Open(ReputationOptions? options = null)
    {
        var store = CreateStore(options ?? Options);
        opened.Add(store);
        return store;
    }

    protected static IReadOnlyList<ReputationCharge> Owner(string owner, string? via = null) => ReputationCharges.ForVouch(owner, via, VouchStrength.Strong, "", Options);

    protected static ReputationReport Spam(IReadOnlyList<ReputationCharge> charges, string ticket, string reporter, DateTimeOffset at, ReportSource source = ReportSource.User) =>
        new(ticket, reporter, ReportKind.Spam, source, Options.WeightOf(source), charges, "spf", "192.0.2.1", at);

    protected static ReputationReport Ham(IReadOnlyList<ReputationCharge> charges, string ticket, string reporter, DateTimeOffset at) =>
        new(ticket, reporter, ReportKind.Ham, ReportSource.User, 1, charges, "spf", "192.0.2.1", at);

    protected static async Task<ReputationRow> RowAsync(IReputationStore store, ReputationKey key, DateTimeOffset now) =>
        (await store.RowsAsync(key.Subject, now, None)).Single(row => row.Key == key);

    /// <summary>Reports from <paramref name="reporters"/> people in turn, all at <paramref name="at"/>; the outcomes in order.</summary>
    protected static async Task<List<ReportOutcome>> SpamRunAsync(IReputationStore store, IReadOnlyList<ReputationCharge> charges, int reports, int reporters, DateTimeOffset at, string tag = "")
    {
        var outcomes = new List<ReportOutcome>();
        for (var i = 0; i < reports; i++)
        {
            outcomes.Add(await store.RecordAsync(Spam(charges, $"{tag}t{i}", $"{tag}r{i % reporters}", at), None));
        }

        return outcomes;
    }

    [Fact]
    public async Task Counts_decay_with_the_half_life_and_a_later_report_adds_to_the_decayed_value()
    {
        var store = Open();
        var charges = Owner("example.com");
        var key = charges[0].Key;
        await store.AddDeliveriesAsync(charges, 40, T0, None);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ReportOutcomeCode.Counted, (await store.RecordAsync(Spam(charges, $"t{i}", $"r{i}", T0), None)).Code);
        }

        await store.FlushAsync(None);
        var now = await RowAsync(store, key, T0);
        Assert.Equal((3.0, 0.0, 40.0, 3), (now.Counters.Spam, now.Counters.Ham, now.Counters.Delivered, now.Reporters));
        Assert.Equal(T0, now.LastReport);
        var later = await RowAsync(store, key, T0.AddDays(14));
        Assert.Equal(1.5, later.Counters.Spam, 9);
        Assert.Equal(20, later.Counters.Delivered, 9);
        Assert.Equal(0.75, (await RowAsync(store, key, T0.AddDays(28))).Counters.Spam, 9);

        var outcome = await store.RecordAsync(Spam(charges, "t9", "r9", T0.AddDays(14)), None);
        Assert.Equal(2.5, outcome.Rows.Single().Counters.Spam, 9);
        var reread = await RowAsync(store, key, T0.AddDays(14));
        Assert.Equal(2.5, reread.Counters.Spam, 9);
        Assert.Equal(4, reread.Reporters);
        Assert.Equal(2.5, (await RowAsync(store, key, T0.AddDays(14))).Counters.Spam, 9);
    }

    [Fact]
    public async Task The_same_ticket_from_the_same_reporter_counts_once()
    {
        var store = Open();
        var charges = Owner("example.com");
        Assert.Equal(ReportOutcomeCode.Counted, (await store.RecordAsync(Spam(charges, "t1", "alice", T0), None)).Code);
        var again = await store.RecordAsync(Spam(charges, "t1", "alice", T0.AddMinutes(1)), None);
        Assert.Equal(ReportOutcomeCode.Duplicate, again.Code);
        Assert.Equal(0, again.Units);
        Assert.Empty(again.Rows);
        Assert.Equal(ReportOutcomeCode.Counted, (await store.RecordAsync(Spam(charges, "t1", "bob", T0), None)).Code);
        var row = await RowAsync(store, charges[0].Key, T0);
        Assert.Equal(2, row.Counters.Spam, 6);
        Assert.Equal(2, row.Reporters);
    }

    [Fact]
    public async Task Two_nodes_sending_the_same_reports_at_once_count_each_once()
    {
        var first = Open();
        var second = Open();
        var charges = Owner("example.com");
        var reports = Enumerable.Range(0, 20).Select(i => Spam(charges, $"t{i}", $"r{i}", T0)).ToList();
        var outcomes = await Task.WhenAll(reports.SelectMany(r => new[] { first.RecordAsync(r, None), second.RecordAsync(r, None) }));
        Assert.Equal(20, outcomes.Count(o => o.Code == ReportOutcomeCode.Counted));
        Assert.Equal(20, outcomes.Count(o => o.Code == ReportOutcomeCode.Duplicate));
        await first.FlushAsync(None);
        await second.FlushAsync(None);
        Assert.Equal(20, (await RowAsync(second, charges[0].Key, T0)).Counters.Spam, 6);
    }

    [Fact]
    public async Task One_reporter_with_50_clicks_in_a_day_adds_3_units_and_leaves_the_owner_neutral()
    {
        var store = Open();
        var charges = Owner("example.com");
        var outcomes = new List<ReportOutcome>();
        for (var i = 0; i < 50; i++)
        {
            outcomes.Add(await store.RecordAsync(Spam(charges, $"t{i}", "angry", T0), None));
        }

        Assert.Equal(3, outcomes.Count(o => o.Code == ReportOutcomeCode.Counted));
        Assert.Equal(47, outcomes.Count(o => o.Code == ReportOutcomeCode.OverCap));
        Assert.All(outcomes.Where(o => o.Code == ReportOutcomeCode.OverCap), o => Assert.Equal(0, o.Units));
        var row = await RowAsync(store, charges[0].Key, T0);
        Assert.Equal(3, row.Counters.Spam, 9);
        Assert.Equal(1, row.Reporters);
        Assert.Equal(ReputationState.Neutral, row.State);
        Assert.Equal(ReportOutcomeCode.Counted, (await store.RecordAsync(Spam(charges, "tomorrow", "angry", T0.AddDays(1)), None)).Code);
    }

    [Fact]
    public async Task A_trap_hit_is_capped_at_what_is_left_of_the_day()
    {
        var store = Open();
        var charges = Owner("example.com");
        Assert.Equal(1, (await store.RecordAsync(Spam(charges, "t1", "trap", T0), None)).Units);
        var trap = await store.RecordAsync(Spam(charges, "t2", "trap", T0, ReportSource.Trap), None);
        Assert.Equal((ReportOutcomeCode.Counted, 2.0), (trap.Code, trap.Units));
        Assert.Equal(ReportOutcomeCode.OverCap, (await store.RecordAsync(Spam(charges, "t3", "trap", T0), None)).Code);
    }

    [Fact]
    public async Task Not_spam_from_the_reporter_cancels_their_own_report_and_from_others_counts_as_ham()
    {
        var store = Open();
        var charges = Owner("example.com", "esp.example");
        Assert.Equal(2, charges.Count);
        await store.RecordAsync(Spam(charges, "t1", "alice", T0), None);
        var cancel = await store.RecordAsync(Ham(charges, "t1", "alice", T0.AddHours(1)), None);
        Assert.Equal(ReportOutcomeCode.Cancelled, cancel.Code);
        Assert.Equal(Math.Pow(2, -1.0 / (14 * 24)), cancel.Units, 9);
        Assert.All(cancel.Rows, row => Assert.Equal(0, row.Counters.Spam, 9));
        Assert.Equal(2, cancel.Rows.Count);
        Assert.Equal(ReportOutcomeCode.Duplicate, (await store.RecordAsync(Ham(charges, "t1", "alice", T0.AddHours(2)), None)).Code);
        Assert.Equal(ReportOutcomeCode.Duplicate, (await store.RecordAsync(Spam(charges, "t1", "alice", T0.AddHours(2)), None)).Code);

        var ham = await store.RecordAsync(Ham(charges, "t1", "bob", T0.AddHours(3)), None);
        Assert.Equal(ReportOutcomeCode.Counted, ham.Code);
        Assert.Equal([1.0, 0.25], ham.Rows.Select(r => Math.Round(r.Counters.Ham, 9)));

        var events = await store.EventsAsync("example.com", 10, None);
        Assert.Equal(4, events.Count);
        Assert.Equal(["bob", "bob", "alice", "alice"], events.Select(e => e.Reporter));
        Assert.All(events.Where(e => e.Reporter == "alice"), e => Assert.True(e.Cancelled && e.Units == 0 && e.Kind == ReportKind.Spam));
        Assert.All(events.Where(e => e.Reporter == "bob"), e => Assert.True(!e.Cancelled && e.Kind == ReportKind.Ham));
        Assert.Equal(2, (await store.EventsAsync("example.com", 2, None)).Count);
    }

    [Fact]
    public async Task A_spam_run_of_12_reports_from_6_recipients_in_40_deliveries_blocks_with_its_numbers()
    {
        var store = Open();
        var charges = Owner("spammer.example");
        await store.AddDeliveriesAsync(charges, 40, T0, None);
        await store.FlushAsync(None);
        var start = T0.AddHours(1);
        var outcomes = await SpamRunAsync(store, charges, 12, 6, start);
        Assert.Equal(ReputationState.Neutral, outcomes[1].Rows[0].State);
        Assert.Equal(ReputationState.Suspect, outcomes[2].Rows[0].State);
        var blocking = outcomes[4].Rows[0];
        Assert.Equal(ReputationState.Blocked, blocking.State);
        Assert.Equal(start, blocking.Since);
        Assert.Equal(blocking.Numbers, blocking.Reason);
        var last = outcomes[^1].Rows[0];
        Assert.Equal((ReputationState.Blocked, 6, true), (last.State, last.Reporters, last.HasTrustedSource));
        Assert.Equal(12, last.Counters.Spam, 2);
        Assert.Equal(start, last.Since);
        Assert.Equal(blocking.Reason, last.Reason);
        Assert.Equal(0.181, last.Counters.LowerBound, 3);
        Assert.Equal(0.055, blocking.Counters.LowerBound, 3);
    }

    [Fact]
    public async Task Deliveries_after_a_block_release_the_row_once_its_bound_falls()
    {
        var store = Open();
        var charges = Owner("recovered.example");
        var outcomes = await SpamRunAsync(store, charges, 6, 6, T0);
        Assert.Equal(ReputationState.Blocked, outcomes[^1].Rows[0].State);
        await store.AddDeliveriesAsync(charges, 5000, T0.AddMinutes(1), None);
        await store.FlushAsync(None);
        var row = await RowAsync(store, charges[0].Key, T0.AddMinutes(2));
        Assert.Equal((ReputationState.Neutral, T0.AddMinutes(1)), (row.State, row.Since));
        Assert.Empty(await store.ListedAsync(T0.AddMinutes(2), None));
    }

    [Fact]
    public async Task A_delivery_judges_a_neutral_row_under_thresholds_lowered_since_its_reports()
    {
        var charges = Owner("lowered.example");
        var outcomes = await SpamRunAsync(Open(), charges, 3, 1, T0);
        Assert.Equal(ReputationState.Neutral, outcomes[^1].Rows[0].State);
        var lowered = Open(Options with { Thresholds = new ReputationThresholds { SuspectReporters = 1 } });
        await lowered.AddDeliveriesAsync(charges, 1, T0.AddMinutes(1), None);
        await lowered.FlushAsync(None);
        Assert.Equal(ReputationState.Suspect, (await RowAsync(lowered, charges[0].Key, T0.AddMinutes(2))).State);
    }

    [Fact]
    public async Task A_newsletter_with_6_reports_in_2000_deliveries_stays_neutral()
    {
        var store = Open();
        var charges = Owner("news.example");
        await store.AddDeliveriesAsync(charges, 2000, T0, None);
        await store.FlushAsync(None);
        var outcomes = await SpamRunAsync(store, charges, 6, 6, T0);
        Assert.All(outcomes, o => Assert.Equal(ReputationState.Neutral, o.Rows[0].State));
        Assert.Empty(await store.ListedAsync(T0.AddHours(1), None));
    }

    [Fact]
    public async Task Filter_reports_alone_never_block()
    {
        var store = Open();
        var charges = Owner("filtered.example");
        for (var i = 0; i < 30; i++)
        {
            await store.RecordAsync(Spam(charges, $"t{i}", $"filter{i}", T0, ReportSource.Filter), None);
        }

        var row = await RowAsync(store, charges[0].Key, T0);
        Assert.Equal((ReputationState.Suspect, false), (row.State, row.HasTrustedSource));
    }

    [Fact]
    public async Task State_counts_and_deduplication_survive_reopening_the_store()
    {
        var charges = Owner("spammer.example");
        var store = Open();
        await store.AddDeliveriesAsync(charges, 40, T0, None);
        await SpamRunAsync(store, charges, 12, 6, T0);
        await store.LinkQueueIdAsync("4Q7ZK2", "TICKET-A", T0, None);
        await store.DisposeAsync();

        var reopened = Open();
        var row = await RowAsync(reopened, charges[0].Key, T0);
        Assert.Equal((ReputationState.Blocked, 6), (row.State, row.Reporters));
        Assert.Equal(12, row.Counters.Spam, 2);
        Assert.Equal(40, row.Counters.Delivered, 1);
        Assert.Equal(ReportOutcomeCode.Duplicate, (await reopened.RecordAsync(Spam(charges, "t3", "r3", T0.AddHours(1)), None)).Code);
        Assert.Equal("TICKET-A", await reopened.FindTicketAsync("4Q7ZK2", None));
        Assert.Single(await reopened.ListedAsync(T0.AddHours(1), None));
    }

    [Fact]
    public async Task Listed_rows_are_released_when_their_counts_decay()
    {
        var store = Open();
        var six = Owner("six.example");
        var twelve = Owner("twelve.example");
        await SpamRunAsync(store, six, 6, 6, T0);
        await SpamRunAsync(store, twelve, 12, 6, T0);
        var listed = await store.ListedAsync(T0.AddHours(1), None);
        Assert.Equal(["six.example", "twelve.example"], listed.Select(r => r.Key.Subject).Order());
        Assert.All(listed, r => Assert.Equal(ReputationState.Blocked, r.State));

        var later = T0.AddDays(40);
        var after = await store.ListedAsync(later, None);
        var remaining = Assert.Single(after);
        Assert.Equal(("twelve.example", ReputationState.Suspect, later), (remaining.Key.Subject, remaining.State, remaining.Since));
        Assert.Equal(12 * Math.Pow(2, -40.0 / 14), remaining.Counters.Spam, 1);
        var released = await RowAsync(store, six[0].Key, later);
        Assert.Equal((ReputationState.Neutral, later), (released.State, released.Since));
        Assert.Single(await store.ListedAsync(later, None));
    }

    [Fact]
    public async Task Pins_hold_against_counts_and_clear_removes_a_subject_all_audited()
    {
        var store = Open();
        var pinned = ReputationKey.ForOwner("known-bad.example");
        await store.PinAsync(pinned, ReputationState.Blocked, new ReputationAdminAction("pin blocked", pinned.Subject, "known spammer", "root", T0), None);
        var row = await RowAsync(store, pinned, T0.AddDays(100));
        Assert.Equal((ReputationState.Blocked, true, "known spammer"), (row.State, row.Pinned, row.Reason));
        Assert.Contains(await store.ListedAsync(T0.AddDays(100), None), r => r.Key == pinned);

        var charges = Owner("friend.example");
        await store.PinAsync(charges[0].Key, ReputationState.Neutral, new ReputationAdminAction("pin neutral", "friend.example", "our partner", "root", T0.AddMinutes(1)), None);
        var outcomes = await SpamRunAsync(store, charges, 12, 6, T0.AddMinutes(2));
        Assert.All(outcomes, o => Assert.Equal(ReputationState.Neutral, o.Rows[0].State));
        await store.PinAsync(charges[0].Key, ReputationState.Neutral, new ReputationAdminAction("unpin", "friend.example", "contract ended", "root", T0.AddMinutes(20)), None);
        var unpinned = await RowAsync(store, charges[0].Key, T0.AddMinutes(20));
        Assert.Equal((ReputationState.Blocked, false), (unpinned.State, unpinned.Pinned));

        await SpamRunAsync(store, Owner("known-bad.example", "esp.example"), 3, 3, T0);
        await store.ClearAsync("known-bad.example", new ReputationAdminAction("clear", "known-bad.example", "new owner", "root", T0.AddMinutes(30)), None);
        Assert.Empty(await store.RowsAsync("known-bad.example", T0.AddMinutes(30), None));
        Assert.Empty(await store.EventsAsync("known-bad.example", 10, None));
        Assert.DoesNotContain(await store.ListedAsync(T0.AddMinutes(30), None), r => r.Key.Subject == "known-bad.example");
        Assert.Equal(ReportOutcomeCode.Counted, (await store.RecordAsync(Spam(Owner("known-bad.example"), "t0", "r0", T0.AddMinutes(31)), None)).Code);

        var audit = await store.AuditAsync(10, None);
        Assert.Equal(["clear", "unpin", "pin neutral", "pin blocked"], audit.Select(a => a.Action));
        Assert.Equal(("new owner", "root", T0.AddMinutes(30)), (audit[0].Reason, audit[0].Actor, audit[0].At));
        Assert.Single(await store.AuditAsync(1, None));
    }

    [Fact]
    public async Task A_queue_id_finds_its_ticket()
    {
        var store = Open();
        await store.LinkQueueIdAsync("4Q7ZK2", "TICKET-A", T0, None);
        Assert.Equal("TICKET-A", await store.FindTicketAsync("4Q7ZK2", None));
        await store.FlushAsync(None);
        Assert.Equal("TICKET-A", await Open().FindTicketAsync("4Q7ZK2", None));
        Assert.Null(await store.FindTicketAsync("NOSUCH", None));
    }

    [Fact]
    public async Task Eight_concurrent_writers_lose_no_report()
    {
        const int Writers = 8;
        const int Reports = 2000;
        var options = Options with { ReporterDailyCap = 1_000_000 };
        var owners = Enumerable.Range(0, 4).Select(i => Owner($"owner{i}.example")).ToList();
        var stores = Enumerable.Range(0, Writers).Select(_ => Open(options)).ToList();
        // Each writer keeps 32 reports in flight, as a busy node would.
        var outcomes = await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
        {
            var done = new List<ReportOutcome>(Reports);
            foreach (var chunk in Enumerable.Range(0, Reports).Chunk(32))
            {
                done.AddRange(await Task.WhenAll(chunk.Select(i => store.RecordAsync(Spam(owners[i % owners.Count], $"w{w}t{i}", $"w{w}r{i}", T0), None))));
            }

            return done;
        })));
        Assert.All(outcomes.SelectMany(o => o), o => Assert.Equal(ReportOutcomeCode.Counted, o.Code));
        foreach (var owner in owners)
        {
            var row = await RowAsync(stores[0], owner[0].Key, T0);
            Assert.Equal(Writers * Reports / owners.Count, row.Counters.Spam, 6);
        }
    }

    [Fact]
    public async Task A_providers_owner_row_stops_at_suspect_while_the_senders_sub_row_blocks()
    {
        var store = Open();
        var charges = ReputationCharges.ForVouch("gmail.com", null, VouchStrength.Strong, "h-spammer", Options);
        var outcomes = await SpamRunAsync(store, charges, 6, 6, T0);
        var rows = outcomes[^1].Rows;
        Assert.Equal(2, rows.Count);
        Assert.Equal(("h-spammer", ReputationState.Blocked), (rows[0].Key.Sender, rows[0].State));
        Assert.Equal(("", ReputationState.Suspect), (rows[1].Key.Sender, rows[1].State));
        Assert.Equal(ReputationState.Suspect, (await store.ListedAsync(T0.AddHours(1), None)).Single(r => r.Key.Sender == "").State);
    }

    [Fact]
    public async Task A_state_change_is_announced()
    {
        var store = Open();
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.StateChanged += subject => announced.TrySetResult(subject);
        await SpamRunAsync(store, Owner("loud.example"), 5, 5, T0);
        Assert.Equal("loud.example", await announced.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Top_orders_rows_by_spam_units()
    {
        var store = Open();
        await SpamRunAsync(store, Owner("few.example"), 2, 2, T0);
        await SpamRunAsync(store, Owner("many.example"), 5, 5, T0);
        var top = await store.TopAsync(2, T0.AddDays(3), None);
        Assert.Equal(["many.example", "few.example"], top.Select(r => r.Key.Subject));
        Assert.Single(await store.TopAsync(1, T0, None));
    }

    [Fact]
    public async Task Bad_reports_are_argument_errors()
    {
        var store = Open();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RecordAsync(Spam([], "t", "r", T0), None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RecordAsync(Spam([.. Owner("a.example"), .. Owner("b.example")], "t", "r", T0), None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RecordAsync(Spam(Owner("a.example"), "t", "r", T0) with { Weight = 0 }, None));
    }

    [Fact]
    public async Task The_reporter_salt_is_made_once_and_the_same_for_every_store_instance_and_after_reopening()
    {
        var first = await Open().ReporterSaltAsync(None);
        var second = await Open().ReporterSaltAsync(None);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
    }
}
