using System.Text;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Policy;
using Vouch.Reputation;
using Vouch.Server;
using Vouch.Tests.Support;

namespace Vouch.Tests.Reputation;

/// <summary>The policy service's side of reputation: a ticket at DATA, deliveries and the queue-id link at END-OF-MESSAGE, spamtraps at RCPT, nothing for SASL.</summary>
public sealed class TicketFlowTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-ticketflow-").FullName;
    private ReputationSetup reputation = null!;
    private PolicyResponder responder = null!;
    private Vouch.Server.Milter.MilterResponder milter = null!;

    public async Task InitializeAsync()
    {
        var options = ReputationOptions.Default with
        {
            Enabled = true,
            Path = Path.Combine(folder, "reputation.db"),
            TicketKeyFile = Path.Combine(folder, "ticket.key"),
            Spamtraps = ["trap@receiver.example"],
            Node = "mx1",
        };
        reputation = await ReputationSetup.OpenAsync(options, TestSuffixes.List, null, null, null, CancellationToken.None);
        var zone = new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        var configuration = new VouchConfiguration { Reputation = options };
        var checker = new SenderChecker(zone.Resolver(), TestSuffixes.List, configuration, reputation: reputation.Map);
        var keeper = new TicketKeeper(reputation, 100);
        responder = new PolicyResponder(checker, new PolicyServerOptions { HostName = "mx.receiver.example" }, tickets: keeper);
        milter = new Vouch.Server.Milter.MilterResponder(checker, tickets: keeper);
    }

    public async Task DisposeAsync()
    {
        await reputation.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Accepted_mail_gets_its_ticket_at_data_and_end_of_message_counts_the_delivery_and_links_the_queue_id()
    {
        Assert.StartsWith("PREPEND Received-SPF: pass", await AnswerAsync("RCPT", "i1", ("recipient", "u@receiver.example")), StringComparison.Ordinal);

        var data = await AnswerAsync("DATA", "i1");
        Assert.Equal("DUNNO", await AnswerAsync("END-OF-MESSAGE", "i1", ("queue_id", "4QID1"), ("recipient_count", "3")));

        // The delivery is written in the background: the MTA does not wait on it.
        Assert.Equal(data["PREPEND Vouch-Ticket: ".Length..], await PollTicketAsync("4QID1"));
        await reputation.Store.FlushAsync(CancellationToken.None);

        Assert.StartsWith("PREPEND Vouch-Ticket: v=1; t=", data, StringComparison.Ordinal);
        Assert.Contains("; o=example.com; via=-; m=spf; s=strong; ip=192.0.2.10; n=mx1; id=", data, StringComparison.Ordinal);
        var row = (await reputation.Store.RowsAsync("example.com", DateTimeOffset.UtcNow, CancellationToken.None)).Single();
        Assert.Equal(3, Math.Round(row.Counters.Delivered, 3));
        Assert.True(reputation.Signer.Verify(data["PREPEND Vouch-Ticket: ".Length..], TimeSpan.FromDays(7)).IsValid);
    }

    [Fact]
    public async Task Unvouched_mail_let_through_in_monitor_mode_gets_a_ticket_of_its_client_and_authenticated_mail_none()
    {
        await AnswerAsync("RCPT", "i2", ("sender", "a@elsewhere.example"));
        await AnswerAsync("RCPT", "i3", ("sasl_username", "alice"));

        Assert.Contains("; o=-; via=-; m=-; s=-; ip=192.0.2.10;", await AnswerAsync("DATA", "i2"), StringComparison.Ordinal);
        Assert.Equal("DUNNO", await AnswerAsync("DATA", "i3"));
    }

    [Fact]
    public async Task Mail_to_a_spamtrap_is_a_trap_report_against_the_vouching_owner()
    {
        await AnswerAsync("RCPT", "i4", ("recipient", "u@receiver.example"));
        await AnswerAsync("RCPT", "i4", ("recipient", "Trap@Receiver.example"));

        var events = await PollAsync(() => reputation.Store.EventsAsync("example.com", 10, CancellationToken.None));

        Assert.Equal((ReportSource.Trap, 3.0), (events[0].Source, events[0].Units));
    }

    [Fact]
    public async Task The_milter_inserts_the_ticket_below_its_other_headers_and_links_the_queue_id()
    {
        var verdict = await milter.JudgeAsync(new Vouch.Server.Milter.MilterTransaction("192.0.2.10", null, "mail.example.com", "<news@example.com>", null, "4MILTER1"), CancellationToken.None);

        var (name, value) = verdict.Headers[^1];
        Assert.Equal("Vouch-Ticket", name);
        Assert.True(reputation.Signer.Verify(value, TimeSpan.FromDays(7)).IsValid, value);
        Assert.Equal(value, await PollTicketAsync("4MILTER1"));
    }

    private async Task<string?> PollTicketAsync(string queueId)
    {
        // The link is written in the background.
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (await reputation.Store.FindTicketAsync(queueId, CancellationToken.None) is { } ticket)
            {
                return ticket;
            }

            await Task.Yield();
        }

        return null;
    }

    private async Task<IReadOnlyList<ReputationEvent>> PollAsync(Func<Task<IReadOnlyList<ReputationEvent>>> read)
    {
        // The trap report is written in the background: the MTA does not wait on it.
        for (var attempt = 0; attempt < 500; attempt++)
        {
            await reputation.Store.FlushAsync(CancellationToken.None);
            if (await read() is { Count: > 0 } found)
            {
                return found;
            }

            await Task.Yield();
        }

        return [];
    }

    private Task<string> AnswerAsync(string state, string instance, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>
        {
            ["request"] = "smtpd_access_policy",
            ["protocol_state"] = state,
            ["instance"] = instance,
            ["client_address"] = "192.0.2.10",
            ["helo_name"] = "mail.example.com",
            ["sender"] = "news@example.com",
        };
        foreach (var (key, value) in extra)
        {
            attributes[key] = value;
        }

        return responder.AnswerAsync(new PolicyRequest(attributes), CancellationToken.None);
    }
}
