using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns.Zones;
using Vouch.Policy;
using Vouch.Server.Milter;
using Vouch.Tests.Cli;
using Vouch.Tests.Support;
using static Vouch.Tests.Support.MilterPackets;

namespace Vouch.Tests.Server.Milter;

/// <summary>The milter protocol as Postfix speaks it, against the demo zone: negotiation, each command, the replies and header changes.</summary>
public sealed class MilterProtocolTests
{
    private const string Registered = "192.0.2.10";
    private const string Spoofer = "203.0.113.66";
    private const string OurId = "mx.receiver.example";

    private static readonly (string, string)[] MixedResults =
    [
        ("Authentication-Results", OurId + "; spf=pass smtp.mailfrom=alice@example.com"),
        ("Authentication-Results", "other.example; spf=pass smtp.mailfrom=alice@example.com"),
        ("Subject", "hello"),
        ("Authentication-Results", "(forged) MX.Receiver.Example.; dkim=pass"),
    ];

    internal static async Task<MilterResponder> ResponderAsync(PolicyMode mode, MilterOptions? milter = null, TextWriter? log = null)
    {
        var zone = new ZoneData();
        await zone.LoadFileAsync(CliRunner.DemoZone, null, CancellationToken.None);
        milter ??= new MilterOptions();
        var configuration = new VouchConfiguration
        {
            Policy = new PolicyOptions { Mode = mode },
            Server = new PolicyServerOptions { HostName = OurId },
            Milter = milter,
        };
        configuration = configuration with { Checks = configuration.Checks with { WrittenHeaders = milter.Headers } };
        return new MilterResponder(new SenderChecker(new ZoneResolver(zone), TestSuffixes.List, configuration), log);
    }

    internal static async Task<List<(char Command, byte[] Data)>> ServeAsync(IMilterJudge judge, MilterOptions options, byte[] input, TextWriter? log = null, int chunk = int.MaxValue)
    {
        var server = new MilterServer(judge, () => (options, OurId), log);
        await using var stream = new DuplexTestStream(input, chunk);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server.ServeConnectionAsync(stream, "test", deadline.Token);
        return Replies(stream.Written());
    }

    private static (uint Version, uint Actions, uint Protocol, string Macros) ReadNegotiation(byte[] data) =>
        (BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)),
         Encoding.ASCII.GetString(data, 12, data.Length - 12));

    [Fact]
    public async Task NegotiationTakesOnlyWhatPostfixOffersAndNamesTheMacrosEachStageNeeds()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor);

        var replies = await ServeAsync(responder, responder.Options, Negotiate());

        var (command, data) = Assert.Single(replies);
        Assert.Equal('O', command);
        var (version, actions, protocol, macros) = ReadNegotiation(data);
        Assert.Equal(6u, version);
        Assert.Equal((uint)(MilterActions.AddHeaders | MilterActions.ChangeHeaders | MilterActions.SetMacroLists), actions);
        Assert.Equal(0u, protocol & ~PostfixProtocol);
        var wanted = (MilterProtocolOptions)protocol;
        Assert.True(wanted.HasFlag(MilterProtocolOptions.NoBody) && wanted.HasFlag(MilterProtocolOptions.NoReplyToHeader) && wanted.HasFlag(MilterProtocolOptions.NoReplyToConnect));
        Assert.False(wanted.HasFlag(MilterProtocolOptions.NoHeaders)); // the headers are needed to find forged results
        Assert.False(wanted.HasFlag(MilterProtocolOptions.NoReplyToRecipient)); // it decides at RCPT
        Assert.Contains("{client_addr}", macros, StringComparison.Ordinal);
        Assert.Contains("{auth_authen}", macros, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOlderMtaGetsItsVersionAndNoMacroListsAndOneTooOldIsClosedWithALogLine()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor);
        using var log = new StringWriter();

        var version2 = await ServeAsync(responder, responder.Options, Negotiate(2, 0x3F, 0x7F));
        var version1 = await ServeAsync(responder, responder.Options, Negotiate(1, 0x0F, 0x3F), log);

        var (version, actions, protocol, macros) = ReadNegotiation(Assert.Single(version2).Data);
        Assert.Equal(2u, version);
        Assert.Equal(0x11u, actions);
        Assert.Equal(0u, protocol & ~0x7Fu);
        Assert.Equal("", macros);
        Assert.Empty(version1);
        Assert.Contains("milter protocol version 1; Vouch needs 2 or later; connection closed", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegisteredSendersMessageGetsOurHeadersAtTheTopAndLosesOnlyTheResultsForgedUnderOurId()
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(PolicyMode.Enforce, log: log);

        var replies = await ServeAsync(responder, responder.Options, [.. Negotiate(), .. Transaction(Registered, "mail.example.com", "<alice@example.com>", MixedResults), .. Simple('Q')]);

        // Negotiation, RCPT's continue, then the end of the message: nothing for macros, connect, helo, mail, headers, aborts.
        Assert.Equal("Ocmmiic", new string([.. replies.Select(reply => reply.Command)]));
        var deletes = replies.Where(reply => reply.Command == 'm').Select(reply => HeaderChange(reply.Data)).ToList();
        Assert.Equal([(3u, "Authentication-Results", ""), (1u, "Authentication-Results", "")], deletes);
        var inserts = replies.Where(reply => reply.Command == 'i').Select(reply => HeaderChange(reply.Data)).ToList();
        Assert.All(inserts, insert => Assert.Equal(0u, insert.Index));
        Assert.Equal(["Authentication-Results", "Received-SPF"], inserts.Select(insert => insert.Name));
        Assert.StartsWith("pass (mx.receiver.example: domain of example.com designates 192.0.2.10 as permitted sender; vouch: white", inserts[1].Value, StringComparison.Ordinal);
        Assert.StartsWith(OurId + "; spf=pass smtp.mailfrom=alice@example.com", inserts[0].Value, StringComparison.Ordinal);
        Assert.Contains("queue_id=4XyZ1 client=192.0.2.10 helo=mail.example.com sender=<alice@example.com>", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnforceModeRefusesAtTheFirstRecipientWithTheTablesReplyAndAnswersTheOthersTheSameWithoutCheckingAgain()
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(PolicyMode.Enforce, log: log);
        byte[] input =
        [
            .. Negotiate(), .. Connect("unknown", Spoofer), .. Helo("spoofer.example.net"), .. Mail("<alice@example.com>"),
            .. Recipient("<bob@receiver.example>"), .. Recipient("<carol@receiver.example>"), .. Simple('A'), .. Simple('Q'),
        ];

        var replies = await ServeAsync(responder, responder.Options, input);

        Assert.Equal("Oyy", new string([.. replies.Select(reply => reply.Command)]));
        var reply = MilterData.FirstString(replies[1].Data);
        Assert.StartsWith("550 5.7.23 ", reply, StringComparison.Ordinal);
        Assert.Equal(reply, MilterData.FirstString(replies[2].Data));
        Assert.Single(log.ToString().Split('\n'), line => line.StartsWith("vouch: decision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MonitorModeOnlyAddsHeadersThatSayWhatEnforcementWouldDo()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor);

        var replies = await ServeAsync(responder, responder.Options, [.. Negotiate(), .. Transaction(Spoofer, "spoofer.example.net", "<alice@example.com>", [])]);

        Assert.Equal("Ocii" + "c", new string([.. replies.Select(reply => reply.Command)]));
        var received = HeaderChange(replies[^2].Data);
        Assert.Equal("Received-SPF", received.Name);
        Assert.Contains("vouch: black, monitor mode, enforcement would reject: 550 5.7.23 ", received.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecidingAtTheEndOfTheMessageAsksPostfixNotToWaitForRecipientRepliesAndRefusesTheMessageThere()
    {
        var options = new MilterOptions { DecideAt = MilterDecisionPoint.Eom };
        var responder = await ResponderAsync(PolicyMode.Enforce, options);

        var replies = await ServeAsync(responder, options, [.. Negotiate(), .. Transaction(Spoofer, "spoofer.example.net", "<alice@example.com>", MixedResults)]);

        Assert.True(((MilterProtocolOptions)ReadNegotiation(replies[0].Data).Protocol).HasFlag(MilterProtocolOptions.NoReplyToRecipient));
        Assert.Equal("Oy", new string([.. replies.Select(reply => reply.Command)]));
        Assert.StartsWith("550 5.7.23 ", MilterData.FirstString(replies[1].Data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitAndCoalescedPacketsGiveTheSameReplies()
    {
        var responder = await ResponderAsync(PolicyMode.Enforce);
        byte[] input = [.. Negotiate(), .. Transaction(Registered, "mail.example.com", "<alice@example.com>", MixedResults), .. Transaction(Spoofer, "x", "<alice@example.com>", []), .. Simple('Q')];

        var whole = await ServeAsync(responder, responder.Options, input);
        var byteByByte = await ServeAsync(responder, responder.Options, input, chunk: 1);
        var inSevens = await ServeAsync(responder, responder.Options, input, chunk: 7);

        Assert.Equal(Flatten(whole), Flatten(byteByByte));
        Assert.Equal(Flatten(whole), Flatten(inSevens));
        Assert.Contains(whole, reply => reply.Command == 'y');
    }

    private static string Flatten(List<(char Command, byte[] Data)> replies) =>
        string.Join("|", replies.Where(reply => reply.Command != 'i').Select(reply => reply.Command + Convert.ToHexString(reply.Data)));

    [Fact]
    public async Task MacroPacketsAreNeverAnsweredWhateverTheirStageOrContent()
    {
        var responder = await ResponderAsync(PolicyMode.Enforce);
        byte[] input =
        [
            .. Negotiate(), .. Packet('D'), .. Macros('H'), .. Macros('T', "i", "X1"), .. Macros('Z', "odd"), .. Macros('N', "i", "X1"),
            .. Macros('B', "i", "X1"), .. Macros('U'), .. Transaction(Registered, "mail.example.com", "<alice@example.com>", []),
        ];

        var replies = await ServeAsync(responder, responder.Options, input);

        Assert.Equal("Ociic", new string([.. replies.Select(reply => reply.Command)]));
    }

    [Fact]
    public async Task AnAuthenticatedSessionIsNotJudgedButForgedResultsAreStillRemoved()
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(PolicyMode.Enforce, log: log);

        var replies = await ServeAsync(responder, responder.Options,
            [.. Negotiate(), .. Transaction(Spoofer, "laptop", "<alice@example.com>", MixedResults, Macros('M', "{auth_authen}", "alice", "{auth_type}", "PLAIN"))]);

        Assert.Equal("Ocmmc", new string([.. replies.Select(reply => reply.Command)]));
        Assert.Contains("skipped queue_id=4XyZ1 client=203.0.113.66: authenticated", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("vouch: decision", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheClientAddressMacroOutranksTheConnectPacketAndAUnixClientWithoutItIsTheUnreadableRow()
    {
        var responder = await ResponderAsync(PolicyMode.Enforce);
        // Behind a content filter the connect packet says 127.0.0.1; {client_addr} carries the real client.
        byte[] behindFilter =
        [
            .. Negotiate(), .. Macros('C', "{client_addr}", Spoofer), .. Connect("localhost", "127.0.0.1"), .. Helo("spoofer.example.net"),
            .. Mail("<alice@example.com>"), .. Recipient("<bob@receiver.example>"),
        ];
        byte[] unixClient = [.. Negotiate(), .. Connect("localhost", "/var/run/socket", 'L', 0), .. Mail("<alice@example.com>"), .. Recipient("<bob@receiver.example>")];
        // Sendmail may write an IPv6 client as in an address literal.
        byte[] sendmailIPv6 = [.. Negotiate(), .. Connect("unknown", "IPv6:2001:db8::66", '6'), .. Mail("<alice@example.com>"), .. Recipient("<bob@receiver.example>")];

        var filtered = await ServeAsync(responder, responder.Options, behindFilter);
        var unix = await ServeAsync(responder, responder.Options, unixClient);
        var ipv6 = await ServeAsync(responder, responder.Options, sendmailIPv6);

        Assert.StartsWith("550 5.7.23 ", MilterData.FirstString(filtered[1].Data), StringComparison.Ordinal);
        Assert.Equal('y', unix[1].Command);
        Assert.StartsWith("451 4.", MilterData.FirstString(unix[1].Data), StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.23 ", MilterData.FirstString(ipv6[1].Data), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u, "a packet of length 0")]
    [InlineData(2_000_000u, "a packet of 2000000 bytes, over the limit of 1048576")]
    public async Task ALengthOutOfRangeClosesTheConnectionWithALogLine(uint length, string expected)
    {
        var responder = await ResponderAsync(PolicyMode.Monitor);
        using var log = new StringWriter();
        var bad = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(bad, length);

        var replies = await ServeAsync(responder, responder.Options, [.. Negotiate(), .. bad], log);

        Assert.Single(replies);
        Assert.Contains(expected, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCommandOrACommandBeforeTheNegotiationClosesTheConnectionWithALogLine()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor);
        using var log = new StringWriter();

        var unknown = await ServeAsync(responder, responder.Options, [.. Negotiate(), .. Packet('z'), .. Helo("never answered")], log);
        var early = await ServeAsync(responder, responder.Options, [.. Helo("too early")], log);

        Assert.Single(unknown);
        Assert.Empty(early);
        Assert.Contains("unknown command 'z'; connection closed", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("command 'H' before the negotiation; connection closed", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnMtaThatSendsEveryEventAndWantsEveryReplyGetsOneForEachAndTheBodyIsSkipped()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor);
        // Offers only SKIP among the protocol options: no event can be turned off, every event is answered.
        byte[] input =
        [
            .. Negotiate(6, 0x1FF, (uint)MilterProtocolOptions.Skip), .. Connect("unknown", Registered), .. Helo("mail.example.com"), .. Mail("<alice@example.com>"),
            .. Recipient("<bob@receiver.example>"), .. Simple('T'), .. Header("Subject", "x"), .. Simple('N'), .. Packet('B', Encoding.ASCII.GetBytes("body\r\n")),
            .. Packet('U', MilterPackets.Text("XYZZY")), .. Simple('E'),
        ];

        var replies = await ServeAsync(responder, responder.Options, input);

        Assert.Equal("Occcccccsc" + "iic", new string([.. replies.Select(reply => reply.Command)]));
    }

    [Fact]
    public async Task AHeloRepeatedAfterStartTlsIsTheOneJudgedAndQuitNewConnectionStartsAfresh()
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(PolicyMode.Monitor, log: log);
        byte[] input =
        [
            .. Negotiate(), .. Connect("unknown", Registered), .. Helo("first.example"), .. Helo("mail.example.com"), .. Mail("<alice@example.com>"),
            .. Recipient("<bob@receiver.example>"), .. Simple('A'), .. Simple('K'), .. Connect("unknown", Spoofer), .. Mail("<alice@example.com>"),
            .. Recipient("<bob@receiver.example>"),
        ];

        await ServeAsync(responder, responder.Options, input);

        var decisions = log.ToString().Split('\n').Where(line => line.StartsWith("vouch: decision", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, decisions.Count);
        Assert.Contains("client=192.0.2.10 helo=mail.example.com ", decisions[0], StringComparison.Ordinal);
        Assert.Contains("client=203.0.113.66 helo= ", decisions[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongCheckSendsProgressUntilItIsDone()
    {
        var time = new FakeTimeProvider();
        var judge = new HeldJudge();
        var options = new MilterOptions();
        var server = new MilterServer(judge, () => (options, OurId), null, null, time);
        await using var stream = new DuplexTestStream([.. Negotiate(), .. Connect("unknown", Registered), .. Mail("<a@example.com>"), .. Recipient("<b@example.org>")]) { HoldOpen = true };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var serving = server.ServeConnectionAsync(stream, "test", deadline.Token);
        await judge.Asked.Task.WaitAsync(deadline.Token);
        for (var tick = 1; tick <= 2; tick++)
        {
            // Advance only once the session waits on its timer (the condition polled, not a sleep).
            while (!deadline.IsCancellationRequested && Replies(stream.Written()).Count(reply => reply.Command == 'p') < tick)
            {
                time.Advance(options.ProgressInterval);
                await Task.Yield();
            }
        }

        judge.Answer.SetResult(new MilterVerdict("550 5.7.1 no", [], false));
        while (!deadline.IsCancellationRequested && Replies(stream.Written()).All(reply => reply.Command != 'y'))
        {
            await Task.Yield();
        }

        stream.End();
        await serving;

        var commands = new string([.. Replies(stream.Written()).Select(reply => reply.Command)]);
        Assert.Matches("^Op{2,}y$", commands);
    }

    [Fact]
    public async Task AReplyCodeDoublesEveryPercentSign()
    {
        using var output = new MemoryStream();
        var writer = new MilterPacketWriter(output);

        writer.AddReplyCode("550 5.7.1 100% sure, %s");
        await writer.FlushAsync(CancellationToken.None);

        Assert.Equal("550 5.7.1 100%% sure, %%s", MilterData.FirstString(Assert.Single(Replies(output.ToArray())).Data));
    }

    [Theory]
    [InlineData(false, "silent for 900 s, connection closed")]
    [InlineData(true, "a transaction open for over 3600 s, connection closed")]
    public async Task AConnectionSilentTooLongOrATransactionOpenTooLongIsClosedWithALogLine(bool inTransaction, string expected)
    {
        var time = new FakeTimeProvider();
        var responder = await ResponderAsync(PolicyMode.Monitor);
        var options = responder.Options;
        using var log = new StringWriter();
        var server = new MilterServer(responder, () => (options, OurId), TextWriter.Synchronized(log), null, time);
        byte[] input = inTransaction ? [.. Negotiate(), .. Connect("unknown", Registered), .. Mail("<a@example.com>")] : [.. Negotiate()];
        await using var stream = new DuplexTestStream(input) { HoldOpen = true };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var serving = server.ServeConnectionAsync(stream, "test", deadline.Token);
        while (!serving.IsCompleted && !deadline.IsCancellationRequested)
        {
            // Each step moves the clock on; the condition polled is the connection's end. In a transaction the
            // MTA keeps talking (a header every 5 minutes), so only the transaction's own limit can end it.
            if (inTransaction)
            {
                stream.Feed(Header("X-Keep", "talking"));
            }

            // The clock moves only once the server has read everything and waits again (its timer re-armed):
            // otherwise, on a busy machine, several steps could pass before it reads a header.
            while (!stream.WaitingForInput && !serving.IsCompleted && !deadline.IsCancellationRequested)
            {
                await Task.Delay(1);
            }

            time.Advance(TimeSpan.FromMinutes(5));
        }

        await serving;
        Assert.Contains(expected, log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A judge that waits until the test answers.</summary>
    private sealed class HeldJudge : IMilterJudge
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<MilterVerdict> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<MilterVerdict> JudgeAsync(MilterTransaction transaction, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            return Answer.Task.WaitAsync(cancellationToken);
        }
    }
}
