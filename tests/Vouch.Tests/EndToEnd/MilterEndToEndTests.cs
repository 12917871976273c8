namespace Vouch.Tests.EndToEnd;

/// <summary>
/// A real Postfix with `vouch milter` in smtpd_milters: swaks connects from loopback addresses that the test zones
/// make registered, unregistered, SPF-failing or listed senders. The SMTP replies, the place of our headers in the
/// delivered mail, and the removal of Authentication-Results forged under our authserv-id are asserted.
/// </summary>
public sealed class MilterEndToEndTests(MilterWorldFixture world) : IClassFixture<MilterWorldFixture>
{
    private const string Recipient = "user@" + PostfixInstance.Domain;

    public static TheoryData<string, string, string, string, string> Refused => new()
    {
        // source address, HELO, MAIL FROM, the reply Postfix gives, the reason Vouch gave.
        { "127.0.0.12", "h12.senders.test", "alice@plain.senders.test", "550 5.7.1 ", "127.0.0.12 is not a registered mail server" },
        { "127.0.0.13", "h13.senders.test", "alice@fail.senders.test", "550 5.7.23 ", "SPF fail: fail.senders.test does not designate 127.0.0.13 as a permitted sender" },
        { "127.0.0.15", "h15.senders.test", "alice@spf.senders.test", "550 5.7.1 ", "127.0.0.15 (testbl: 15.0.0.127.bl.test) is on a block list" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task EnforceModeRefusesAtRcptWithTheTablesReply(string source, string helo, string sender, string reply, string reason)
    {
        var transcript = await Swaks.SendAsync(world.Port, source, helo, sender, [Recipient], "refused " + source);

        var answer = Assert.Single(transcript.RecipientReplies);
        Assert.True(answer.StartsWith(reply, StringComparison.Ordinal) && answer.Contains(reason, StringComparison.Ordinal),
            $"expected \"{reply}… {reason}…\", got \"{answer}\"\n{transcript}\n{world.Milter.Log}\n{await world.Postfix.ReadLogAsync()}");
    }

    [Fact]
    public async Task OurHeadersAreTheFirstAbovePostfixsReceivedAndOnlyTheResultsForgedUnderOurIdAreRemoved()
    {
        var subject = "milter pass " + Guid.NewGuid().ToString("N");
        var transcript = await Swaks.SendAsync(world.Port, "127.0.0.10", "h10.senders.test", "alice@spf.senders.test", [Recipient], subject,
        [
            $"Authentication-Results: {MilterWorldFixture.HostName}; spf=pass smtp.mailfrom=forged@spf.senders.test",
            "Authentication-Results: other-receiver.example; spf=neutral smtp.mailfrom=kept@spf.senders.test",
        ]);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
        var message = await world.Postfix.WaitForDeliveryAsync(subject) ?? throw new InvalidOperationException($"not delivered\n{transcript}\n{world.Milter.Log}\n{await world.Postfix.ReadLogAsync()}");
        var header = message[..message.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
        var fieldNames = header.Where(line => line.Length > 0 && line[0] is not (' ' or '\t')).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]).ToList();

        // Delivery (virtual(8)) adds Return-Path, X-Original-To and Delivered-To on top; ours come next, then Postfix's own Received:.
        var firstReceived = fieldNames.IndexOf("Received");
        Assert.Equal(["Received-SPF", "Authentication-Results"], fieldNames.Take(firstReceived).Where(name => name is not ("Return-Path" or "Delivered-To" or "X-Original-To")));
        Assert.Contains($"Authentication-Results: {MilterWorldFixture.HostName}; spf=pass smtp.mailfrom=alice@spf.senders.test", message, StringComparison.Ordinal);
        Assert.Contains("Received-SPF: pass (mx.vouch-e2e.test: domain of spf.senders.test designates 127.0.0.10 as permitted sender; vouch: white", message, StringComparison.Ordinal);
        Assert.DoesNotContain("forged@spf.senders.test", message, StringComparison.Ordinal);
        Assert.Contains("Authentication-Results: other-receiver.example; spf=neutral smtp.mailfrom=kept@spf.senders.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerListedAsALowPriorityMxHostIsRegisteredAndTheEndOfMessageLineCarriesPostfixsQueueId()
    {
        var subject = "milter mx " + Guid.NewGuid().ToString("N");
        var transcript = await Swaks.SendAsync(world.Port, "127.0.0.11", "out.mx.senders.test", "alice@mx.senders.test", [Recipient], subject);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
        var message = await world.Postfix.WaitForDeliveryAsync(subject);
        Assert.NotNull(message);
        Assert.Contains("vouch: white: 127.0.0.11 is registered as MX host out.mx.senders.test of mx.senders.test", message, StringComparison.Ordinal);
        // Postfix gives the queue id only after the first recipient: the line for the end of the message carries it.
        var line = await world.Milter.WaitForLogLineAsync(text => text.Contains("end of message", StringComparison.Ordinal) && text.Contains("client=127.0.0.11:", StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.Matches("queue_id=[0-9A-Za-z]+ client=127.0.0.11: 2 header\\(s\\) inserted, 0 forged Authentication-Results removed", line);
    }
}
