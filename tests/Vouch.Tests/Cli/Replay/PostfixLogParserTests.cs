using Microsoft.Extensions.Time.Testing;
using Vouch.Cli.Replay;

namespace Vouch.Tests.Cli.Replay;

public sealed class PostfixLogParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static PostfixLogParser NewParser(int maxOpenEntries = PostfixLogParser.DefaultMaxOpenEntries)
    {
        var clock = new FakeTimeProvider(Now);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return new PostfixLogParser(clock, maxOpenEntries);
    }

    private static List<ReplayedMessage> Parse(PostfixLogParser parser, params string[] lines) =>
        [.. lines.SelectMany(parser.Feed), .. parser.Finish()];

    private static List<ReplayedMessage> Parse(params string[] lines) => Parse(NewParser(), lines);

    [Fact]
    public void AnAcceptedMessageTakesItsHeloFromThePermitLineAndItsSenderFromQmgr()
    {
        var messages = Parse(
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: connect from unknown[127.0.0.31]",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: NOQUEUE: permit: RCPT from unknown[127.0.0.31]: action=permit_auth_destination for Recipient address=user@vouch-e2e.test ; from=<alice@example.com> to=<user@vouch-e2e.test> proto=ESMTP helo=<mail.example.com>",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: ACBCBB1E2BA: client=unknown[127.0.0.31]",
            "Dec 07 00:53:35 mx postfix/cleanup[5607]: ACBCBB1E2BA: message-id=<20261207005335.005605@vm>",
            "Dec 07 00:53:35 mx postfix/qmgr[5600]: ACBCBB1E2BA: from=<alice@example.com>, size=418, nrcpt=1 (queue active)",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: disconnect from unknown[127.0.0.31] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5");

        var message = Assert.Single(messages);
        Assert.Equal(new ReplayedMessage(new DateTimeOffset(2026, 12, 7, 0, 53, 35, TimeSpan.Zero), "ACBCBB1E2BA", "127.0.0.31", "unknown", "mail.example.com", "alice@example.com", false, null), message);
    }

    [Fact]
    public void ABounceHasTheEmptySenderAndAMessageWithoutAnAccessLineHasNoHelo()
    {
        var parser = NewParser();
        var messages = Parse(parser,
            "Dec  7 10:00:00 mx postfix/smtpd[1]: connect from mail.example.net[2001:db8::1]",
            "Dec  7 10:00:00 mx postfix/smtpd[1]: 4FqW1x2yz3zJJRR: client=mail.example.net[2001:db8::1]",
            "Dec  7 10:00:01 mx postfix/qmgr[2]: 4FqW1x2yz3zJJRR: from=<>, size=401, nrcpt=1 (queue active)");

        var message = Assert.Single(messages);
        Assert.Equal(("4FqW1x2yz3zJJRR", "2001:db8::1", "mail.example.net", (string?)null, ""), (message.QueueId, message.ClientAddress, message.ClientName, message.Helo, message.Sender));
        Assert.Equal(1, parser.MessagesWithoutHelo);
    }

    [Fact]
    public void ARefusalIsYieldedOncePerSessionAndSenderWithPostfixsReply()
    {
        var parser = NewParser();
        var messages = Parse(parser,
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: connect from unknown[127.0.0.33]",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: NOQUEUE: reject: RCPT from unknown[127.0.0.33]: 554 5.7.1 <a@vouch-e2e.test>: Recipient address rejected: no such user here; from=<bob@example.net> to=<a@vouch-e2e.test> proto=ESMTP helo=<reject.example.net>",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: NOQUEUE: reject: RCPT from unknown[127.0.0.33]: 554 5.7.1 <b@vouch-e2e.test>: Recipient address rejected: no such user here; from=<bob@example.net> to=<b@vouch-e2e.test> proto=ESMTP helo=<reject.example.net>",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: disconnect from unknown[127.0.0.33] ehlo=1 mail=1 rcpt=0/2 quit=1 commands=3/5");

        var refusal = Assert.Single(messages);
        Assert.Equal(new ReplayedMessage(new DateTimeOffset(2026, 12, 7, 0, 53, 35, TimeSpan.Zero), "NOQUEUE", "127.0.0.33", "unknown", "reject.example.net", "bob@example.net", true,
            "554 5.7.1 <a@vouch-e2e.test>: Recipient address rejected: no such user here"), refusal);
        Assert.Equal(1, parser.RefusalsYielded);
    }

    [Fact]
    public void ARefusedRecipientOfATransactionThatWasAcceptedIsNoSeparateRefusal()
    {
        // Seen in Postfix 3.7: qmgr's "from=" may come after the session's disconnect.
        var messages = Parse(
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: connect from unknown[127.0.0.35]",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: NOQUEUE: reject: RCPT from unknown[127.0.0.35]: 554 5.7.1 <refused@vouch-e2e.test>: Recipient address rejected: no such user here; from=<carol@example.com> to=<refused@vouch-e2e.test> proto=ESMTP helo=<two.example.com>",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: D6E7BB1E2BA: client=unknown[127.0.0.35]",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: disconnect from unknown[127.0.0.35] ehlo=1 mail=1 rcpt=1/2 data=1 quit=1 commands=5/6",
            "Dec 07 00:53:35 mx postfix/qmgr[5600]: D6E7BB1E2BA: from=<carol@example.com>, size=435, nrcpt=1 (queue active)");

        var message = Assert.Single(messages);
        Assert.Equal(("D6E7BB1E2BA", "two.example.com", "carol@example.com", false), (message.QueueId, message.Helo, message.Sender, message.RefusedByPostfix));
    }

    [Fact]
    public void ARefusalInAnEarlierTransactionOfTheSessionIsKeptBesideTheAcceptedMessage()
    {
        var messages = Parse(
            "Dec 07 00:53:35 mx postfix/smtpd[9]: connect from unknown[192.0.2.1]",
            "Dec 07 00:53:35 mx postfix/smtpd[9]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 450 4.7.1 <x@vouch-e2e.test>: Recipient address rejected: try later; from=<first@example.com> to=<x@vouch-e2e.test> proto=ESMTP helo=<h.example.com>",
            "Dec 07 00:53:36 mx postfix/smtpd[9]: 1A2B3C4D5E: client=unknown[192.0.2.1]",
            "Dec 07 00:53:37 mx postfix/qmgr[5]: 1A2B3C4D5E: from=<second@example.com>, size=1, nrcpt=1 (queue active)");

        Assert.Equal([("NOQUEUE", "first@example.com", true, "450 4.7.1 <x@vouch-e2e.test>: Recipient address rejected: try later"), ("1A2B3C4D5E", "second@example.com", false, null)],
            messages.Select(m => (m.QueueId, m.Sender, m.RefusedByPostfix, m.PostfixReply)));
        Assert.All(messages, m => Assert.Equal("h.example.com", m.Helo));
    }

    [Fact]
    public void AHeloLoggedAfterClientIsStillTheMessages()
    {
        // The first recipient passes unlogged; the second one's warn line (an access action WARN) carries the HELO.
        var messages = Parse(
            "Dec 07 00:53:35 mx postfix/smtpd[9]: connect from unknown[192.0.2.1]",
            "Dec 07 00:53:35 mx postfix/smtpd[9]: 1A2B3C4D5E: client=unknown[192.0.2.1]",
            "Dec 07 00:53:35 mx postfix/smtpd[9]: 1A2B3C4D5E: warn: RCPT from unknown[192.0.2.1]: looks odd; from=<s@example.com> to=<b@vouch-e2e.test> proto=SMTP helo=<late.example.com>",
            "Dec 07 00:53:35 mx postfix/smtpd[9]: 1A2B3C4D5E: reject: RCPT from unknown[192.0.2.1]: 550 5.1.1 <c@vouch-e2e.test>: Recipient address rejected; from=<s@example.com> to=<c@vouch-e2e.test> proto=SMTP helo=<late.example.com>",
            "Dec 07 00:53:36 mx postfix/qmgr[5]: 1A2B3C4D5E: from=<s@example.com>, size=1, nrcpt=1 (queue active)");

        var message = Assert.Single(messages);
        Assert.Equal(("late.example.com", false), (message.Helo, message.RefusedByPostfix));
    }

    [Fact]
    public void AMessageRefusedAtTheEndOfDataByACheckOrAMilterIsARefusalWithItsQueueId()
    {
        var messages = Parse(
            "Dec 07 00:53:35 mx postfix/smtpd[9]: connect from unknown[192.0.2.1]",
            "Dec 07 00:53:35 mx postfix/smtpd[9]: 1A2B3C4D5E: client=unknown[192.0.2.1]",
            "Dec 07 00:53:36 mx postfix/cleanup[7]: 1A2B3C4D5E: reject: header Subject: win from unknown[192.0.2.1]; from=<s@example.com> to=<u@vouch-e2e.test> proto=ESMTP helo=<h.example.com>: 5.7.1 no thanks",
            "Dec 07 00:53:37 mx postfix/smtpd[9]: 6F7E8D9C0B: client=unknown[192.0.2.1]",
            "Dec 07 00:53:38 mx postfix/cleanup[7]: 6F7E8D9C0B: milter-reject: END-OF-MESSAGE from unknown[192.0.2.1]: 5.7.1 not registered; from=<t@example.com> to=<u@vouch-e2e.test> proto=ESMTP helo=<h.example.com>");

        Assert.Equal([("1A2B3C4D5E", "s@example.com", "5.7.1 no thanks"), ("6F7E8D9C0B", "t@example.com", "5.7.1 not registered")],
            messages.Select(m => (m.QueueId, m.Sender, m.PostfixReply)));
        Assert.All(messages, m => Assert.True(m.RefusedByPostfix && m.Helo == "h.example.com" && m.ClientAddress == "192.0.2.1"));
    }

    [Theory]
    [InlineData("2026-12-07T10:00:00.123456+01:00 mx postfix/smtpd[1]:", "2026-12-07T09:00:00.1234560+00:00")]
    [InlineData("2026-12-07T10:00:00Z mx postfix/smtpd[1]:", "2026-12-07T10:00:00.0000000+00:00")]
    [InlineData("Dec  7 10:00:00 mx postfix/smtpd[1]:", "2026-12-07T10:00:00.0000000+00:00")]
    [InlineData("Dec 07 10:00:00.250 mx postfix/smtpd[1]:", "2026-12-07T10:00:00.2500000+00:00")]
    [InlineData("Dec 31 23:59:59 mx postfix/smtpd[1]:", "2025-12-31T23:59:59.0000000+00:00")]
    [InlineData("Feb 29 01:00:00 mx postfix/smtpd[1]:", "2024-02-29T01:00:00.0000000+00:00")]
    [InlineData("Dec  8 10:00:00 mx postfix/submission/smtpd[1]:", "2026-12-08T10:00:00.0000000+00:00")]
    public void EverySyslogTimeFormatIsRead(string prefix, string expected)
    {
        var messages = Parse(
            prefix + " 1A2B3C4D5E: client=unknown[192.0.2.1]",
            "Dec 07 11:00:00 mx postfix/qmgr[5]: 1A2B3C4D5E: from=<s@example.com>, size=1, nrcpt=1 (queue active)");

        Assert.Equal(expected, Assert.Single(messages).Time.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void InstancesAndHostsKeepTheirQueueIdsApart()
    {
        var messages = Parse(
            "Dec 07 10:00:00 mx postfix/smtps/smtpd[1]: 1A2B3C4D5E: client=a.example[192.0.2.1]:4567",
            "Dec 07 10:00:00 mx postfix-out/smtpd[2]: 1A2B3C4D5E: client=b.example[192.0.2.2]",
            "Dec 07 10:00:00 other postfix/smtpd[1]: 1A2B3C4D5E: client=c.example[192.0.2.3]",
            "Dec 07 10:00:01 mx postfix-out/qmgr[3]: 1A2B3C4D5E: from=<out@example.com>, size=1, nrcpt=1 (queue active)",
            "Dec 07 10:00:01 other postfix/qmgr[3]: 1A2B3C4D5E: from=<other@example.com>, size=1, nrcpt=1 (queue active)",
            "Dec 07 10:00:01 mx postfix/qmgr[3]: 1A2B3C4D5E: from=<mx@example.com>, size=1, nrcpt=1 (queue active)",
            "Dec 07 10:05:01 mx postfix/qmgr[3]: 1A2B3C4D5E: from=<mx@example.com>, size=1, nrcpt=1 (queue active)");

        Assert.Equal([("b.example", "out@example.com"), ("c.example", "other@example.com"), ("a.example", "mx@example.com")], messages.Select(m => (m.ClientName, m.Sender)));
    }

    [Fact]
    public void HostileSendersAndHelosAreTakenAsLoggedAndNeverThrow()
    {
        var huge = new string('x', 100_000);
        var parser = NewParser();
        var messages = Parse(parser,
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: connect from unknown[127.0.0.34]",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: NOQUEUE: permit: RCPT from unknown[127.0.0.34]: action=permit_auth_destination for Recipient address=user@vouch-e2e.test ; from=<\"a b>c\"@example.org> to=<user@vouch-e2e.test> proto=ESMTP helo=<evil???x?????helo=?fake?>",
            "Dec 07 00:53:35 mx postfix/smtpd[5602]: CC026B1E2BA: client=unknown[127.0.0.34]",
            "Dec 07 00:53:35 mx postfix/qmgr[5600]: CC026B1E2BA: from=<\"a b>c, size=9\"@example.org>, size=427, nrcpt=1 (queue active)",
            "Dec 07 00:53:36 mx postfix/smtpd[5602]: NOQUEUE: reject: RCPT from unknown[127.0.0.34]: 554 5.7.1 <x>: no; from=<\"; from=<q> to=<\"@\u00fc.example> to=<x> proto=ESMTP helo=<" + huge + ">",
            "Dec 07 00:53:36 mx postfix/smtpd[5602]: NOQUEUE: reject: RCPT from unknown[127.0.0.34]: 554 5.7.1 <x>: no; from=<" + huge + "> to=<x> proto=ESMTP helo=<[",
            "Dec 07 00:53:36 mx postfix/smtpd[5602]: NOQUEUE: reject: RCPT from unknown[127.0.0.34: 554 broken",
            "Dec 07 00:53:36 mx postfix/smtpd[5602]: CC026B1E2BB: client=unknown[",
            "Dec 07 00:53:36 mx postfix/qmgr[5600]: CC026B1E2BB: from=<unterminated",
            "Dec 07 00:53:36 mx postfix/smtpd[5602]: \u0000\u00ff: ::: ; from=< >",
            "Dec 99 00:53:36 mx postfix/smtpd[5602]: connect from unknown[127.0.0.34]",
            "",
            "garbage",
            "Dec 07 00:53:36 mx kernel: [12.3] eth0 up",
            "Dec 07 00:53:36 mx dovecot[12]: imap-login: Login");

        Assert.Equal(
            [("CC026B1E2BA", "\"a b>c, size=9\"@example.org", "evil???x?????helo=?fake?", false), ("NOQUEUE", "\"; from=<q", huge, true), ("NOQUEUE", huge, huge, true)],
            messages.Select(m => (m.QueueId, m.Sender, m.Helo, m.RefusedByPostfix)));
        Assert.Equal((15, 5, 3), (parser.LinesRead, parser.LinesNotPostfix, parser.LinesNotUnderstood));
    }

    [Fact]
    public void SessionsAndMessagesThatNeverCompleteAreEvictedOldestFirst()
    {
        var parser = NewParser(maxOpenEntries: 2);
        var lines = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            lines.Add($"Dec 07 10:00:00 mx postfix/smtpd[{i}]: connect from unknown[192.0.2.{i}]");
            lines.Add($"Dec 07 10:00:00 mx postfix/smtpd[{i}]: 00000000A{i}: client=unknown[192.0.2.{i}]");
        }

        lines.Add("Dec 07 10:00:00 mx postfix/qmgr[9]: 00000000A1: from=<one@example.com>, size=1, nrcpt=1 (queue active)");
        lines.Add("Dec 07 10:00:00 mx postfix/qmgr[9]: 00000000A5: from=<five@example.com>, size=1, nrcpt=1 (queue active)");
        var messages = Parse(parser, [.. lines]);

        Assert.Equal("192.0.2.5", Assert.Single(messages).ClientAddress);
        Assert.Equal((3, 3, 1), (parser.SessionsEvicted, parser.MessagesEvicted, parser.MessagesIncomplete));
    }

    [Fact]
    public void ARefusalHeldInASessionWhoseDisconnectIsMissingIsYieldedAtTheEnd()
    {
        var messages = Parse(
            "Dec 07 00:53:35 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 554 5.7.1 Service unavailable; from=<s@example.com> to=<u@vouch-e2e.test> proto=ESMTP helo=<h>");

        Assert.Equal(("192.0.2.9", "h", "554 5.7.1 Service unavailable"), (Assert.Single(messages).ClientAddress, messages[0].Helo, messages[0].PostfixReply));
    }
}
