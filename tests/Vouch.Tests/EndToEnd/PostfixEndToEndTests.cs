namespace Vouch.Tests.EndToEnd;

/// <summary>
/// A real Postfix asks `vouch serve` at RCPT TO; swaks connects from loopback addresses that the test zones
/// (tests/zones/senders.test.zone, bl.test.zone) make registered, unregistered, SPF-failing, Null-MX, listed
/// or unresolvable senders. The SMTP replies Postfix gives, and the header in the delivered mail, are asserted.
/// </summary>
public sealed class PostfixEndToEndTests(PostfixWorldFixture world) : IClassFixture<PostfixWorldFixture>
{
    private const string Recipient = "user@" + PostfixInstance.Domain;

    public static TheoryData<string, string, string, string, string> Refused => new()
    {
        // source address, HELO, MAIL FROM, the reply Postfix gives, the reason Vouch gave.
        { "127.0.0.12", "h12.senders.test", "alice@plain.senders.test", "550 5.7.1 ", "127.0.0.12 is not a registered mail server: no domain lists it as an MX host and plain.senders.test publishes no SPF record" },
        { "127.0.0.13", "h13.senders.test", "alice@fail.senders.test", "550 5.7.23 ", "SPF fail: fail.senders.test does not designate 127.0.0.13 as a permitted sender" },
        { "127.0.0.14", "h14.senders.test", "alerts@nullmx.senders.test", "550 5.7.27 ", "sender domain nullmx.senders.test publishes a null MX: it sends no mail (RFC 7505)" },
        { "127.0.0.15", "h15.senders.test", "alice@spf.senders.test", "550 5.7.1 ", "127.0.0.15 (testbl: 15.0.0.127.bl.test) is on a block list" },
        { "127.0.0.17", "h17.senders.test", "alice@mail.broken.test", "451 4.4.3 ", "temporary DNS failure, try again later: SPF for mail.broken.test:" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task EnforceModeRefusesAtRcptWithTheEnhancedCode(string source, string helo, string sender, string reply, string reason)
    {
        var transcript = await Swaks.SendAsync(world.EnforcingPort, source, helo, sender, [Recipient], "refused " + source);

        var answer = Assert.Single(transcript.RecipientReplies);
        Assert.True(answer.StartsWith(reply, StringComparison.Ordinal) && answer.Contains(reason, StringComparison.Ordinal),
            $"expected \"{reply}… {reason}…\", got \"{answer}\"\n{transcript}\n{world.Enforcing.Log}\n{await world.Postfix.ReadLogAsync()}");
    }

    [Fact]
    public async Task AnSpfAuthorisedSenderIsDeliveredWithAuthenticationResults()
    {
        var subject = "spf pass " + Guid.NewGuid().ToString("N");
        var transcript = await Swaks.SendAsync(world.EnforcingPort, "127.0.0.10", "h10.senders.test", "alice@spf.senders.test", [Recipient], subject);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
        var message = await DeliveredAsync(subject, transcript);
        Assert.Contains($"Authentication-Results: {PostfixWorldFixture.HostName}; spf=pass smtp.mailfrom=alice@spf.senders.test;", message, StringComparison.Ordinal);
        Assert.Contains("vouch: white: spf.senders.test authorises 127.0.0.10 by SPF", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerListedAsALowPriorityMxHostIsRegistered()
    {
        var subject = "mx registered " + Guid.NewGuid().ToString("N");
        var transcript = await Swaks.SendAsync(world.EnforcingPort, "127.0.0.11", "out.mx.senders.test", "alice@mx.senders.test", [Recipient], subject);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
        var message = await DeliveredAsync(subject, transcript);
        Assert.Contains("spf=none smtp.mailfrom=alice@mx.senders.test;", message, StringComparison.Ordinal);
        Assert.Contains("vouch: white: 127.0.0.11 is registered as MX host out.mx.senders.test of mx.senders.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABounceIsJudgedByItsHeloName()
    {
        var subject = "bounce " + Guid.NewGuid().ToString("N");
        var transcript = await Swaks.SendAsync(world.EnforcingPort, "127.0.0.16", "helo.senders.test", "", [Recipient], subject);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
        var message = await DeliveredAsync(subject, transcript);
        Assert.Contains("spf=pass smtp.helo=helo.senders.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorModeDeliversAndTheHeaderSaysWhatEnforcementWouldDo()
    {
        var subject = "monitored " + Guid.NewGuid().ToString("N");
        var transcript = await Swaks.SendAsync(world.MonitoringPort, "127.0.0.12", "h12.senders.test", "alice@plain.senders.test", [Recipient], subject);

        Assert.Equal("250 2.1.5 Ok", Assert.Single(transcript.RecipientReplies));
        var message = await DeliveredAsync(subject, transcript);
        Assert.Contains($"Received-SPF: none ({PostfixWorldFixture.HostName}: domain of plain.senders.test does not provide an SPF record; vouch: black, monitor mode, enforcement would reject: 550 5.7.1 127.0.0.12 is not a registered mail server", message, StringComparison.Ordinal);
        Assert.Contains("client-ip=127.0.0.12; envelope-from=\"alice@plain.senders.test\"; helo=\"h12.senders.test\"; identity=mailfrom;", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRecipientOfAMessageGetsTheAnswerOfOneCheck()
    {
        var recipients = new[] { "a@" + PostfixInstance.Domain, "b@" + PostfixInstance.Domain, "c@" + PostfixInstance.Domain };

        var transcript = await Swaks.SendAsync(world.EnforcingPort, "127.0.0.18", "h18.senders.test", "alice@fail.senders.test", recipients, "three recipients");

        Assert.Equal(3, transcript.RecipientReplies.Count);
        Assert.All(transcript.RecipientReplies, reply => Assert.StartsWith("550 5.7.23 ", reply, StringComparison.Ordinal));
        static bool Decision(string line) => line.StartsWith("vouch: decision ", StringComparison.Ordinal) && line.Contains(" client=127.0.0.18 ", StringComparison.Ordinal);
        Assert.NotNull(await world.Enforcing.WaitForLogLineAsync(Decision));
        Assert.Single(world.Enforcing.Log.Split('\n'), Decision);
    }

    [Fact]
    public async Task AClientThatSendsNoHeloIsStillCheckedAndRefused()
    {
        // Postfix's default smtpd_helo_required = no lets a client skip HELO; the policy request then has no helo_name.
        await using var session = await RawSmtpSession.ConnectAsync("127.0.0.19", world.EnforcingPort);
        var mail = await session.SendAsync("MAIL FROM:<alice@plain.senders.test>");
        var rcpt = await session.SendAsync($"RCPT TO:<{Recipient}>");

        Assert.StartsWith("250 ", mail, StringComparison.Ordinal);
        Assert.True(rcpt.StartsWith("550 5.7.1 ", StringComparison.Ordinal) && rcpt.Contains("127.0.0.19 is not a registered mail server", StringComparison.Ordinal),
            $"got \"{rcpt}\"\n{world.Enforcing.Log}\n{await world.Postfix.ReadLogAsync()}");
        Assert.NotNull(await world.Enforcing.WaitForLogLineAsync(line => line.Contains(" client=127.0.0.19 helo= sender=<alice@plain.senders.test> identity=helo_missing ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AGarbageHeloIsJudgedNotSkipped()
    {
        // Postfix passes the HELO with its spaces as '?' (helo_name=garbage?host!!?[x]): still no host name.
        var unregistered = await Swaks.SendAsync(world.EnforcingPort, "127.0.0.20", "garbage host!! [x]", "alice@plain.senders.test", [Recipient], "garbage helo unregistered");
        var subject = "garbage helo spf pass " + Guid.NewGuid().ToString("N");
        var registered = await Swaks.SendAsync(world.EnforcingPort, "127.0.0.10", "garbage host!! [x]", "alice@spf.senders.test", [Recipient], subject);

        Assert.StartsWith("550 5.7.1 ", Assert.Single(unregistered.RecipientReplies), StringComparison.Ordinal);
        Assert.Equal("250 2.1.5 Ok", Assert.Single(registered.RecipientReplies));
        var message = await DeliveredAsync(subject, registered);
        Assert.True(message.Contains("spf=pass smtp.mailfrom=alice@spf.senders.test; spf=none smtp.helo=\"garbage?host!!?[x]\"", StringComparison.Ordinal), message);
        Assert.Contains("identity helo_malformed", message, StringComparison.Ordinal);
    }

    private async Task<string> DeliveredAsync(string subject, SwaksTranscript transcript) =>
        await world.Postfix.WaitForDeliveryAsync("Subject: " + subject)
        ?? throw new Xunit.Sdk.XunitException($"no message with subject \"{subject}\" was delivered\n{transcript}\n{await world.Postfix.ReadLogAsync()}");
}
