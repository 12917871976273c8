using System.Diagnostics;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// The second half of registration end to end: Postfix delivers a registered owner's mail with a signed
/// Vouch-Ticket, `vouch report spam` (the IMAPSieve pipe) is fed the delivered messages from several
/// recipients, and the owner's next message is refused (reputation enforced) or tagged "would reject"
/// (reputation in monitor mode).
/// </summary>
public sealed class ReputationPostfixEndToEndTests(ReputationWorldFixture world) : IClassFixture<ReputationWorldFixture>
{
    // tests/zones/senders.test.zone: spf.senders.test authorises 127.0.0.10 by SPF; its owner is senders.test.
    private const string Client = "127.0.0.10";
    private const string Helo = "h10.senders.test";
    private const string Sender = "alice@spf.senders.test";

    [Fact]
    public async Task Reports_of_delivered_mail_from_six_recipients_get_the_owners_next_message_refused()
    {
        var messages = await DeliverAndReportAsync(world.EnforcingPort, world.EnforcingConfig, "enforced");
        Assert.All(messages, message => Assert.Contains("Vouch-Ticket: v=1; t=", message, StringComparison.Ordinal));
        Assert.All(messages, message => Assert.Contains("; o=senders.test; via=-; m=spf; s=strong; ip=127.0.0.10; n=enforcing; id=", message, StringComparison.Ordinal));

        // The service reads the store's new state within its refresh (200 ms): ask until it answers with it.
        var refused = await UntilAsync(async attempt =>
        {
            var transcript = await Swaks.SendAsync(world.EnforcingPort, Client, Helo, Sender, ["next@" + PostfixInstance.Domain], $"after the reports {attempt}");
            var reply = Assert.Single(transcript.RecipientReplies);
            // Blocked from the fifth report on; the map shows all six within its refresh.
            return reply.StartsWith("550 ", StringComparison.Ordinal) && reply.Contains("refused: 6 spam reports", StringComparison.Ordinal) ? reply : null;
        });

        Assert.StartsWith("550 5.7.1 ", refused, StringComparison.Ordinal);
        Assert.NotNull(await world.Enforcing.WaitForLogLineAsync(line => line.Contains("reputation: senders.test via - ", StringComparison.Ordinal) && line.Contains(" -> blocked (", StringComparison.Ordinal)));
        Assert.Contains("servers vouched for by senders.test refused: 6 spam reports from 6 recipients in 14 days (senders.test via -: S=6.0 H=0.0 D=6.0 R=6", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_reputation_monitor_mode_the_next_message_is_delivered_and_tagged_with_what_enforcement_would_do()
    {
        await DeliverAndReportAsync(world.MonitoringPort, world.MonitoringConfig, "monitored");

        var tagged = await UntilAsync(async attempt =>
        {
            var subject = $"monitored after {Guid.NewGuid():N} {attempt}";
            var transcript = await Swaks.SendAsync(world.MonitoringPort, Client, Helo, Sender, ["next@" + PostfixInstance.Domain], subject);
            Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
            var message = await world.Postfix.WaitForDeliveryAsync(subject) ?? throw new InvalidOperationException("not delivered:\n" + transcript);
            return message.Contains("would reject", StringComparison.Ordinal) && message.Contains("refused: 6 spam reports", StringComparison.Ordinal) ? message : null;
        });

        Assert.True(tagged.Contains("vouch: black, monitor mode, enforcement would reject: 550 5.7.1 servers vouched for by senders.test refused: 6 spam reports from 6 recipients", StringComparison.Ordinal), tagged);
    }

    /// <summary>Sends six messages to six recipients through <paramref name="port"/>, then reports each delivered copy as spam by its recipient.</summary>
    private async Task<List<string>> DeliverAndReportAsync(int port, string config, string tag)
    {
        var messages = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var subject = $"{tag} {i} {Guid.NewGuid():N}";
            var transcript = await Swaks.SendAsync(port, Client, Helo, Sender, [$"r{i}@{PostfixInstance.Domain}"], subject);
            Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
            messages.Add(await world.Postfix.WaitForDeliveryAsync(subject) ?? throw new InvalidOperationException($"not delivered:\n{transcript}\n{await world.Postfix.ReadLogAsync()}"));
        }

        // END-OF-DATA counted the six deliveries in the service; its store writes them within a second.
        await UntilAsync(async _ =>
        {
            var (_, shown) = await VouchAsync(["reputation", "show", "senders.test", "--json", "--config", config], "");
            return shown.Contains("\"delivered\":6", StringComparison.Ordinal) ? shown : null;
        });

        for (var i = 0; i < messages.Count; i++)
        {
            var (exit, output) = await VouchAsync(["report", "spam", "--reporter", $"r{i}@{PostfixInstance.Domain}", "--config", config], messages[i]);
            Assert.True(exit == 0 && output.StartsWith("vouch: counted: counted against senders.test via -", StringComparison.Ordinal), $"exit {exit}: {output}");
        }

        return messages;
    }

    /// <summary>Runs `vouch` as a child process (for `vouch report spam`, as the IMAPSieve pipe does: the message on stdin).</summary>
    private static async Task<(int Exit, string Output)> VouchAsync(string[] arguments, string input)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Vouch.Cli"))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Tries <paramref name="attempt"/> until it gives a value; each try is a whole SMTP transaction or command, so the polling is paced by the condition itself.</summary>
    private static async Task<string> UntilAsync(Func<int, Task<string?>> attempt)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await attempt(i) is { } found)
            {
                return found;
            }
        }

        throw new InvalidOperationException("the condition never held in 100 attempts");
    }
}
