using Vouch.Cli.Replay;
using Vouch.Tests.EndToEnd;

namespace Vouch.Tests.Cli.Replay;

/// <summary>
/// The parser on Postfix's own lines: mail sent with swaks through a private Postfix (no policy service) that
/// logs every permit action, as `vouch replay` advises, and refuses one recipient; its maillog_file is then parsed.
/// </summary>
public sealed class PostfixReplayEndToEndTests
{
    private const string Recipient = "user@" + PostfixInstance.Domain;
    private const string Refused = "refused@" + PostfixInstance.Domain;

    [Fact]
    public async Task ThePostfixLogGivesEachMessagesClientHeloSenderAndQueueId()
    {
        // inline: maps are Postfix 3.0 and later; smtpd_log_access_permit_actions 2.10 and later (postconf(5)).
        await using var postfix = await PostfixInstance.StartWithListenersAsync(
            ["-o smtpd_recipient_restrictions=$replay_recipient_restrictions"], "", """
            smtpd_log_access_permit_actions = static:all
            replay_recipient_restrictions = check_recipient_access inline:{ { refused@vouch-e2e.test = REJECT no such user here } }, reject_unauth_destination, permit_auth_destination

            """);
        var port = postfix.Ports[0];
        var marker = Guid.NewGuid().ToString("N");

        var accepted = await Swaks.SendAsync(port, "127.0.0.31", "mail.example.com", "alice@example.com", [Recipient], "accepted " + marker);
        var bounce = await Swaks.SendAsync(port, "127.0.0.32", "bounce.example.com", "", [Recipient], "bounce " + marker);
        var refused = await Swaks.SendAsync(port, "127.0.0.33", "reject.example.net", "bob@example.net", [Refused, Refused], "refused " + marker);
        var hostile = await Swaks.SendAsync(port, "127.0.0.34", "evil> \"x\" \u00fc helo=<fake>", "\"a b>c\"@example.org", [Recipient], "hostile " + marker);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(accepted.RecipientReplies));
        Assert.Equal("250 2.1.5 Ok", Assert.Single(bounce.RecipientReplies));
        Assert.All(refused.RecipientReplies, reply => Assert.StartsWith("554 5.7.1 ", reply, StringComparison.Ordinal));
        Assert.Equal("250 2.1.5 Ok", Assert.Single(hostile.RecipientReplies));
        var (unordered, parser, log) = await ParseWhenLoggedAsync(postfix, expected: 4);

        // Sessions follow one another, but qmgr may log a message's sender after the next session began.
        List<ReplayedMessage> messages = [.. unordered.OrderBy(m => m.ClientAddress, StringComparer.Ordinal)];
        var context = string.Join('\n', messages) + "\n" + log;
        Assert.True(messages.Count == 4, context);
        Assert.Equal(
            [
                ("127.0.0.31", "unknown", "mail.example.com", "alice@example.com", false, null),
                ("127.0.0.32", "unknown", "bounce.example.com", "", false, null),
                ("127.0.0.33", "unknown", "reject.example.net", "bob@example.net", true, "554 5.7.1 <refused@vouch-e2e.test>: Recipient address rejected: no such user here"),
                // Postfix 3.7 logs the HELO with '?' for each character that is not safe in a host name, a byte at a time.
                ("127.0.0.34", "unknown", "evil???x?????helo=?fake?", "\"a b>c\"@example.org", false, (string?)null),
            ],
            messages.Select(m => (m.ClientAddress, m.ClientName, m.Helo, m.Sender, m.RefusedByPostfix, m.PostfixReply)));

        // The queue ids are those Postfix gave swaks ("250 2.0.0 Ok: queued as ID").
        Assert.Equal([QueuedAs(accepted), QueuedAs(bounce), "NOQUEUE", QueuedAs(hostile)], messages.Select(m => m.QueueId));
        Assert.Equal((0L, 0L, 0L), (parser.LinesNotUnderstood, parser.MessagesWithoutHelo, parser.LinesNotPostfix));

        // vouch replay checks the same log now (against the demo zone) and vouch rollout reads what it wrote.
        var folder = Directory.CreateTempSubdirectory("vouch-replay-").FullName;
        try
        {
            var maillog = Path.Combine(folder, "mail.log");
            var decisions = Path.Combine(folder, "decisions.jsonl");
            await File.WriteAllTextAsync(maillog, log);
            var (exit, _, error) = await CliRunner.RunAsync("replay", "--postfix-log", maillog, "--zone", CliRunner.DemoZone, "--output", decisions);

            Assert.True(exit == 0, error);
            Assert.Contains("vouch replay: 4 messages checked now (1 of them refused by Postfix itself)", error, StringComparison.Ordinal);
            Assert.Contains("The DNS today may differ from the DNS at delivery", error, StringComparison.Ordinal);
            var records = (await File.ReadAllLinesAsync(decisions)).Select(line => Assert.IsType<Vouch.DecisionLog.DecisionRecord>(Vouch.DecisionLog.DecisionRecordJson.TryParse(line, out var record, out _) ? record : null)).OrderBy(r => r.Client, StringComparer.Ordinal).ToList();
            Assert.Equal(messages.Select(m => (m.ClientAddress, m.Helo, m.Sender, m.QueueId)), records.Select(r => (r.Client, (string?)r.Helo, r.Sender, r.QueueId)));
            Assert.All(records, r => Assert.Equal("replay", r.FrontEnd));
            Assert.Equal(messages.Select(m => m.Time), records.Select(r => r.Time));
            // 127.0.0.31 is not in example.com's ip4:192.0.2.0/28, which ends in -all.
            Assert.Equal(Vouch.Policy.RuleCondition.SpfFail, records[0].Rule);
            Assert.StartsWith("refused by Postfix: 554 5.7.1 ", records[2].Answer, StringComparison.Ordinal);
            Assert.Equal("accepted by Postfix", records[0].Answer);

            var (rolloutExit, summary, rolloutError) = await CliRunner.RunAsync("rollout", "--json", decisions);
            Assert.True(rolloutExit == 0, rolloutError);
            using var json = System.Text.Json.JsonDocument.Parse(summary);
            Assert.Equal(4, json.RootElement.GetProperty("decisions").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("unreadable_lines").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Parses the maillog until it yields <paramref name="expected"/> messages (postlogd writes lines a little after the fact).</summary>
    private static async Task<(List<ReplayedMessage> Messages, PostfixLogParser Parser, string Log)> ParseWhenLoggedAsync(PostfixInstance postfix, int expected)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var log = await postfix.ReadLogAsync();
            var parser = new PostfixLogParser();
            List<ReplayedMessage> messages = [.. log.Split('\n').Where(line => line.Length > 0).SelectMany(parser.Feed)];
            // The hostile message's qmgr line is the last one expected; Finish yields nothing more here.
            if (messages.Count >= expected || giveUp.IsCancellationRequested)
            {
                return (messages, parser, log);
            }

            // Pacing between reads of the log (the condition polled), not a wait for the server.
            await Task.Delay(20);
        }
    }

    private static string QueuedAs(SwaksTranscript transcript)
    {
        const string Queued = "Ok: queued as ";
        var text = transcript.ToString();
        var at = text.IndexOf(Queued, StringComparison.Ordinal);
        Assert.True(at >= 0, text);
        return text[(at + Queued.Length)..].Split('\n')[0].Trim();
    }
}
