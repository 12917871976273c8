using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vouch.Reputation;

namespace Vouch.Tests.Reputation;

/// <summary>Reports through the one ingest into a real SQLite store: tickets verified, refusals counted by reason, ARF re-verified.</summary>
public sealed class ReportIngestTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");
    private static readonly byte[] OldKey = Encoding.ASCII.GetBytes("fedcba9876543210fedcba9876543210");
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private readonly string folder = Directory.CreateTempSubdirectory("vouch-ingest-").FullName;
    private readonly FakeTimeProvider clock = new(T0);
    private readonly ReputationOptions options;
    private readonly SqliteReputationStore store;
    private readonly TicketSigner signer;
    private readonly ReportIngest ingest;

    public ReportIngestTests()
    {
        options = ReputationOptions.Default with { Enabled = true, Path = Path.Combine(folder, "reputation.db"), TrustedReporters = ["fbl.partner.example"] };
        store = new SqliteReputationStore(options, clock);
        signer = new TicketSigner(Key, OldKey, "mx1", clock);
        ingest = new ReportIngest(store, signer, options, timeProvider: clock);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Twelve_reports_from_six_recipients_of_forty_deliveries_block_the_owner()
    {
        var tickets = Enumerable.Range(0, 12).Select(_ => Issue()).ToList();
        foreach (var ticket in tickets.Take(4))
        {
            await ingest.RecordDeliveryAsync(ticket, "", 10, CancellationToken.None);
        }

        ReportOutcome last = null!;
        for (var i = 0; i < tickets.Count; i++)
        {
            last = await ingest.ReportTicketAsync(tickets[i], $"user{i % 6}@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);
            Assert.Equal(ReportOutcomeCode.Counted, last.Code);
        }

        await store.FlushAsync(CancellationToken.None);
        var row = (await store.RowsAsync("example.com", T0, CancellationToken.None)).Single(r => r.Key.Via == "-");
        Assert.Equal((ReputationState.Blocked, 12.0, 40.0, 6), (row.State, Math.Round(row.Counters.Spam, 6), Math.Round(row.Counters.Delivered, 6), row.Reporters));
        Assert.Contains("counted against example.com via - (blocked;", ingest.Describe(last), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_owner_fails_the_mac_and_charges_nothing()
    {
        var forged = Issue().Replace("o=example.com", "o=victim.com", StringComparison.Ordinal);

        var outcome = await ingest.ReportTicketAsync(forged, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.BadMac, outcome.Code);
        Assert.Empty(await store.RowsAsync("victim.com", T0, CancellationToken.None));
        Assert.Equal(1, ingest.Counters.Reports[(ReportSource.User, "bad_mac")]);
    }

    [Fact]
    public async Task A_ticket_older_than_the_report_window_is_refused_as_too_old()
    {
        var ticket = Issue();
        clock.Advance(TimeSpan.FromDays(8));

        var outcome = await ingest.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.TooOld, outcome.Code);
    }

    [Fact]
    public async Task A_ticket_signed_with_the_previous_key_is_still_taken()
    {
        var before = new TicketSigner(OldKey, null, "mx1", clock);
        var ticket = before.Format(before.Issue(new Vouching("example.com", null, VouchMethod.Spf, VouchStrength.Strong, "example.com", "ip4:192.0.2.0/24"), Client, ""));

        var outcome = await ingest.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.Counted, outcome.Code);
    }

    [Fact]
    public async Task A_reporter_stays_one_reporter_across_a_ticket_key_rotation()
    {
        var ticket = Issue();
        Assert.Equal(ReportOutcomeCode.Counted, (await ingest.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None)).Code);

        var rotated = new ReportIngest(store, new TicketSigner(Encoding.ASCII.GetBytes("a brand new key, thirty-two byte"), Key, "mx1", clock), options, timeProvider: clock);
        var again = await rotated.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.Duplicate, again.Code);
    }

    [Fact]
    public async Task The_same_reporter_on_the_same_ticket_counts_once_and_a_ham_report_withdraws_it()
    {
        var ticket = Issue();
        Assert.Equal(ReportOutcomeCode.Counted, (await ingest.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None)).Code);
        Assert.Equal(ReportOutcomeCode.Duplicate, (await ingest.ReportTicketAsync(ticket, "U@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None)).Code);

        var cancelled = await ingest.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Ham, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.Cancelled, cancelled.Code);
        Assert.Equal(0, Math.Round(cancelled.Rows[0].Counters.Spam, 6));
    }

    [Fact]
    public async Task A_message_is_reported_by_its_topmost_ticket_and_a_ticket_below_it_is_not_read()
    {
        var ours = Issue();
        var planted = signer.Format(signer.Issue(new Vouching("victim.com", null, VouchMethod.Spf, VouchStrength.Strong, "victim.com", "ip4:1.2.3.4"), Client, ""));
        var message = $"Vouch-Ticket: {ours}\r\nReceived: from x by mx1 with ESMTP id 4ABCD1234\r\nVouch-Ticket: {planted}\r\nSubject: hi\r\n\r\nbody\r\n";

        var outcome = await ingest.ReportMessageAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(("counted", "example.com"), (outcome.Token, outcome.Rows[0].Key.Subject));
    }

    [Fact]
    public async Task A_message_without_a_ticket_is_found_by_its_queue_id()
    {
        var ticket = Issue();
        await ingest.RecordDeliveryAsync(ticket, "4ABCD1234", 1, CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);
        const string message = "Received: from client.example (client.example [192.0.2.10])\r\n\tby mx1.ourdomain.example (Postfix) with ESMTP id 4ABCD1234\r\n\tfor <u@ourdomain.example>; Mon, 7 Dec 2026 12:00:00 +0000 (UTC)\r\nSubject: hi\r\n\r\nbody\r\n";

        var outcome = await ingest.ReportMessageAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);
        var unknown = await ingest.ReportMessageAsync(new MemoryStream(Encoding.UTF8.GetBytes("Subject: none\r\n\r\nx\r\n")), "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.Counted, outcome.Code);
        Assert.Equal(ReportOutcomeCode.NoTicket, unknown.Code);
    }

    [Fact]
    public async Task A_provider_ticket_charges_the_senders_row_and_caps_the_owner_row_and_p_is_under_the_mac()
    {
        var ticket = signer.Format(signer.Issue(new Vouching("example.com", null, VouchMethod.Spf, VouchStrength.Strong, "example.com", "ip4:192.0.2.0/24"), Client, "a1b2c3d4e5f6", provider: true));
        Assert.Contains("; u=a1b2c3d4e5f6; p=1; mac=", ticket, StringComparison.Ordinal);

        var outcome = await ingest.ReportTicketAsync(ticket, "u@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);
        var stripped = await ingest.ReportTicketAsync(ticket.Replace("; p=1", "", StringComparison.Ordinal), "v@ourdomain.example", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(("a1b2c3d4e5f6", 2), (outcome.Rows[0].Key.Sender, outcome.Rows.Count));
        Assert.Equal(ReportOutcomeCode.BadMac, stripped.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v=1")]
    [InlineData("v=1; t=99999999999999999999; o=x")]
    [InlineData("garbage;;;===;\u0000\r\n")]
    [InlineData("v=1; t=1; o=a; o=b")]
    public async Task Any_text_as_a_ticket_is_refused_with_a_reason_never_thrown(string text)
    {
        var outcome = await ingest.ReportTicketAsync(text, "u", ReportKind.Spam, ReportSource.User, CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.BadMac, outcome.Code);
        Assert.NotEmpty(outcome.Detail);
    }

    [Fact]
    public async Task An_arf_report_with_the_original_ticket_charges_by_the_ticket()
    {
        var arf = await ArfReport.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Arf("abuse@fbl.partner.example", $"Vouch-Ticket: {Issue()}\r\n"))), CancellationToken.None);

        var outcome = await ingest.ReportArfAsync(arf.Report!, (_, _, _) => throw new InvalidOperationException("no re-verification with a ticket"), CancellationToken.None);

        Assert.Equal((ReportOutcomeCode.Counted, "example.com"), (outcome.Code, outcome.Rows[0].Key.Subject));
    }

    [Fact]
    public async Task An_arf_report_without_a_ticket_charges_only_what_verifies_again_now()
    {
        var report = (await ArfReport.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Arf("abuse@fbl.partner.example", ""))), CancellationToken.None)).Report!;
        var vouched = new ReputationFinding(true, true, new Vouching("example.com", null, VouchMethod.Spf, VouchStrength.Strong, "example.com", "ip4:192.0.2.0/24"), ReputationCharges.ForVouch("example.com", null, VouchStrength.Strong, "", options), null, "", true, options.HalfLife);
        var unvouched = vouched with { Vouching = null, Charges = ReputationCharges.ForClient(Client) };

        var refused = await ingest.ReportArfAsync(report, (_, _, _) => Task.FromResult(unvouched), CancellationToken.None);
        var counted = await ingest.ReportArfAsync(report, (ip, mailFrom, _) => Task.FromResult(ip.Equals(Client) && mailFrom == "news@example.com" ? vouched : unvouched), CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.NotVouched, refused.Code);
        Assert.Equal(ReportOutcomeCode.Counted, counted.Code);
    }

    [Fact]
    public async Task An_arf_report_from_an_untrusted_sender_is_refused()
    {
        var report = (await ArfReport.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Arf("someone@elsewhere.example", $"Vouch-Ticket: {Issue()}\r\n"))), CancellationToken.None)).Report!;

        var outcome = await ingest.ReportArfAsync(report, (_, _, _) => throw new InvalidOperationException(), CancellationToken.None);

        Assert.Equal(ReportOutcomeCode.NotVouched, outcome.Code);
        Assert.Contains("not a trusted reporter", outcome.Detail, StringComparison.Ordinal);
    }

    private string Issue() =>
        signer.Format(signer.Issue(new Vouching("example.com", null, VouchMethod.Spf, VouchStrength.Strong, "example.com", "ip4:192.0.2.0/24"), Client, ""));

    // RFC 5965 appendix B.1, with the original's header carrying what the test needs.
    private static string Arf(string from, string ticketLine) => $"""
        From: <{from}>
        Date: Mon, 7 Dec 2026 12:00:00 +0000
        Subject: FW: Earn money
        To: <abuse@ourdomain.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="part1_13d.2e68ed54_boundary"

        --part1_13d.2e68ed54_boundary
        Content-Type: text/plain; charset="US-ASCII"

        This is an email abuse report for an email message received from IP 192.0.2.10.

        --part1_13d.2e68ed54_boundary
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: SomeGenerator/1.0
        Version: 1
        Original-Mail-From: <news@example.com>
        Original-Rcpt-To: <user@partner.example>
        Arrival-Date: Mon, 7 Dec 2026 11:00:00 +0000
        Source-IP: 192.0.2.10

        --part1_13d.2e68ed54_boundary
        Content-Type: message/rfc822
        Content-Disposition: inline

        {ticketLine}From: <news@example.com>
        Message-ID: <8787KJKJ3K4J3K4J3K4J3.mail@example.com>
        Subject: Earn money
        To: <user@partner.example>

        Spam Spam Spam
        --part1_13d.2e68ed54_boundary--
        """.ReplaceLineEndings("\r\n");
}
