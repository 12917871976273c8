using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Dns;
using Vouch.Dns.Wire;
using Vouch.Tests.Support;

namespace Vouch.Tests.Integration;

/// <summary>
/// The network resolver's own UDP transport against scripted servers (wrong, silent, truncating, malformed
/// replies) and against NSD (TCP after truncation, many queries at once).
/// </summary>
[Collection(RealDnsCollection.Name)]
public sealed class UdpTransportTests(RealDnsFixture dns)
{
    private static NetworkResolver Resolver(TimeSpan timeout, int retries, params IPEndPoint[] servers) =>
        new(new NetworkResolverOptions { Servers = servers, Timeout = timeout, Retries = retries });

    [Fact]
    public async Task RepliesWithAWrongIdOrQuestionAreIgnoredAndTheRightOneIsTaken()
    {
        await using var server = ScriptedDnsServer.Start(query =>
        {
            var id = (ushort)((query[0] << 8) | query[1]);
            var otherName = new DnsMessageBuilder().UInt16(id).Raw(0x81, 0x80).UInt16(1).UInt16(1).UInt16(0).UInt16(0)
                .Raw(DnsMessageBuilder.Name("other.test")).UInt16(1).UInt16(1).A("192.0.2.77").ToArray();
            var otherType = new DnsMessageBuilder().UInt16(id).Raw(0x81, 0x80).UInt16(1).UInt16(1).UInt16(0).UInt16(0)
                .Raw(DnsMessageBuilder.Name(DnsMessageBuilder.NameOf(query))).UInt16(28).UInt16(1).A("192.0.2.78").ToArray();
            var notAReply = DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.79").ToArray();
            notAReply[2] &= 0x7F;

            // The right reply echoes the name in other case: names compare case-insensitively (RFC 4343).
            var right = DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.1").ToArray();
            Encoding.ASCII.GetBytes("WWW").CopyTo(right, 13);
            return
            [
                DnsMessageBuilder.ReplyTo(query, answers: 1, id: (ushort)(id + 1)).A("192.0.2.66").ToArray(),
                otherName,
                otherType,
                notAReply,
                right,
                DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.2").ToArray(),
            ];
        });
        await using var resolver = Resolver(TimeSpan.FromSeconds(10), 0, server.Endpoint);

        var answer = await resolver.LookupAddressesAsync("www.example.test", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsStatus.Records, answer.Status);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(answer.Records));
        Assert.Equal(0, resolver.PendingQueries);
    }

    [Fact]
    public async Task AServerThatNeverAnswersIsAskedOncePerTryThenTheNextServerIs()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = ScriptedDnsServer.Start(query => [DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.9").ToArray()]);
        await using var resolver = Resolver(TimeSpan.FromMilliseconds(200), 2, (IPEndPoint)silent.LocalEndPoint!, server.Endpoint);

        var answer = await resolver.LookupAddressesAsync("next.example.test", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("192.0.2.9"), Assert.Single(answer.Records));
        Assert.Equal(3, DatagramsWaiting(silent));
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task AMalformedReplyOrAClosedPortMovesOnToTheNextServer()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var broken = ScriptedDnsServer.Start(query => [DnsMessageBuilder.ReplyTo(query, answers: 3).A("192.0.2.66").ToArray()]);
        await using var good = ScriptedDnsServer.Start(query => [DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.10").ToArray()]);
        await using var resolver = Resolver(TimeSpan.FromSeconds(30), 0, new IPEndPoint(IPAddress.Loopback, closedPort), broken.Endpoint, good.Endpoint);

        var answer = await resolver.LookupAddressesAsync("onwards.example.test", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.Single(answer.Records));
        Assert.Equal((1, 1), (broken.UdpQueries, good.UdpQueries));
    }

    [Fact]
    public async Task NoReplyFromAnyServerIsATimeoutAfterEveryTry()
    {
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        second.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var resolver = Resolver(TimeSpan.FromMilliseconds(100), 1, (IPEndPoint)first.LocalEndPoint!, (IPEndPoint)second.LocalEndPoint!);

        var answer = await resolver.LookupTxtAsync("quiet.example.test", CancellationToken.None);

        Assert.Equal(DnsStatus.Timeout, answer.Status);
        Assert.Equal($"no reply from {first.LocalEndPoint}, {second.LocalEndPoint} within 0.1 s", answer.Problem);
        Assert.Equal(2, DatagramsWaiting(first));
        Assert.Equal(2, DatagramsWaiting(second));
        Assert.Equal(0, resolver.PendingQueries);
    }

    [Fact]
    public async Task ATruncatedReplyIsAskedAgainOverTcp()
    {
        await using var server = ScriptedDnsServer.Start(
            query => [DnsMessageBuilder.ReplyTo(query, truncated: true).ToArray()],
            query => DnsMessageBuilder.ReplyTo(query, answers: 1).Record([0xC0, 0x0C], 16, 120, DnsMessageBuilder.Txt("v=spf1 ", "-all")).ToArray());
        await using var resolver = Resolver(TimeSpan.FromSeconds(10), 0, server.Endpoint);

        var answer = await resolver.LookupTxtAsync("big.example.test", CancellationToken.None);

        Assert.Equal(DnsStatus.Records, answer.Status);
        Assert.Equal(["v=spf1 ", "-all"], Assert.Single(answer.Records).Strings);
        Assert.Equal(TimeSpan.FromSeconds(120), answer.TimeToLive);
        Assert.Equal((1, 1), (server.UdpQueries, server.TcpQueries));
    }

    [Fact]
    public async Task ARecordSetLargerThanTheOfferedPayloadArrivesOverTcpFromNsd()
    {
        var answer = await dns.NewResolver(udpPayloadSize: 512).LookupTxtAsync("long.vouch.test", CancellationToken.None);

        var record = Assert.Single(answer.Records);
        Assert.Equal(8, record.Strings.Count);
        Assert.True(record.Text.Length > 512, $"the record is {record.Text.Length} octets");
    }

    [Theory]
    [InlineData("answer count beyond the message")]
    [InlineData("compression pointer to itself")]
    [InlineData("compression pointer forwards")]
    [InlineData("A record of 3 octets")]
    [InlineData("TXT string beyond its RDATA")]
    [InlineData("label of 64 octets")]
    public async Task AMalformedReplyIsAServerFailure(string flaw)
    {
        await using var server = ScriptedDnsServer.Start(query =>
        {
            var question = DnsMessageBuilder.QuestionOf(query);
            var pointerAt = (byte)(12 + question.Length);
            return
            [
                flaw switch
                {
                    "answer count beyond the message" => DnsMessageBuilder.ReplyTo(query, answers: 2).A("192.0.2.1").ToArray(),
                    "compression pointer to itself" => DnsMessageBuilder.ReplyTo(query, answers: 1).Record([0xC0, pointerAt], 16, 60, DnsMessageBuilder.Txt("x")).ToArray(),
                    "compression pointer forwards" => DnsMessageBuilder.ReplyTo(query, answers: 1).Record([0xC0, (byte)(pointerAt + 2)], 16, 60, DnsMessageBuilder.Txt("x")).ToArray(),
                    "A record of 3 octets" => DnsMessageBuilder.ReplyTo(query, answers: 1).Record([0xC0, 0x0C], 1, 60, [192, 0, 2]).ToArray(),
                    "TXT string beyond its RDATA" => DnsMessageBuilder.ReplyTo(query, answers: 1).Record([0xC0, 0x0C], 16, 60, [5, (byte)'a', (byte)'b']).ToArray(),
                    _ => DnsMessageBuilder.ReplyTo(query, answers: 1).Record([64, .. new byte[64], 0], 16, 60, DnsMessageBuilder.Txt("x")).ToArray(),
                },
            ];
        });
        await using var resolver = Resolver(TimeSpan.FromSeconds(10), 0, server.Endpoint);

        var answer = await resolver.LookupTxtAsync("bad.example.test", CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.StartsWith("malformed reply", answer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RcodesMapAsBeforeAndTheNegativeTtlIsTheSoaMinimum()
    {
        var soa = new DnsMessageBuilder().Raw(DnsMessageBuilder.Name("ns.example.test")).Raw(DnsMessageBuilder.Name("host.example.test"))
            .UInt32(1).UInt32(3600).UInt32(600).UInt32(86400).UInt32(45).ToArray();
        await using var server = ScriptedDnsServer.Start(query => DnsMessageBuilder.NameOf(query) switch
        {
            "refused.example.test" => [DnsMessageBuilder.ReplyTo(query, rcode: 5).ToArray()],
            "missing.example.test" => [DnsMessageBuilder.ReplyTo(query, authorities: 1, rcode: 3).Record(DnsMessageBuilder.Name("example.test"), 6, 300, soa).ToArray()],
            "empty.example.test" => [DnsMessageBuilder.ReplyTo(query, authorities: 1).Record(DnsMessageBuilder.Name("example.test"), 6, 30, soa).ToArray()],
            _ => [DnsMessageBuilder.ReplyTo(query, answers: 1).Record([0xC0, 0x0C], 16, 0x80000000, DnsMessageBuilder.Txt("ttl")).ToArray()],
        });
        await using var resolver = Resolver(TimeSpan.FromSeconds(10), 0, server.Endpoint);

        var refused = await resolver.LookupTxtAsync("refused.example.test", CancellationToken.None);
        var missing = await resolver.LookupTxtAsync("missing.example.test", CancellationToken.None);
        var empty = await resolver.LookupTxtAsync("empty.example.test", CancellationToken.None);
        var oddTtl = await resolver.LookupTxtAsync("ttl.example.test", CancellationToken.None);

        Assert.Equal((DnsStatus.ServerFailure, $"Refused from {server.Endpoint}"), (refused.Status, refused.Problem));
        Assert.Equal((DnsStatus.NoSuchDomain, TimeSpan.FromSeconds(45)), (missing.Status, missing.TimeToLive));
        Assert.Equal((DnsStatus.NoData, TimeSpan.FromSeconds(30)), (empty.Status, empty.TimeToLive));

        // RFC 2181 §8: a TTL with the top bit set counts as zero.
        Assert.Equal((DnsStatus.Records, TimeSpan.Zero), (oddTtl.Status, oddTtl.TimeToLive));
    }

    [Fact]
    public async Task CancellingTheCallerStopsTheWaitAndForgetsTheQuery()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var resolver = Resolver(TimeSpan.FromMinutes(5), 0, (IPEndPoint)silent.LocalEndPoint!);
        using var cancel = new CancellationTokenSource();

        var lookup = resolver.LookupTxtAsync("slow.example.test", cancel.Token).AsTask();
        await silent.ReceiveAsync(new byte[512], SocketFlags.None);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
        Assert.Equal(0, resolver.PendingQueries);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.LookupTxtAsync("slow.example.test", cancel.Token).AsTask());
    }

    [Theory]
    [InlineData("a-label-of-sixty-four-characters-is-one-more-than-dns-allows-xyz.example.test")]
    [InlineData("a..b.example.test")]
    [InlineData(".leading.example.test")]
    [InlineData("trailing.example.test..")]
    public async Task ANameThatCannotBeSentIsAServerFailure(string name)
    {
        await using var server = ScriptedDnsServer.Start(query => [DnsMessageBuilder.ReplyTo(query).ToArray()]);
        await using var resolver = Resolver(TimeSpan.FromSeconds(10), 0, server.Endpoint);
        var tooLong = string.Join('.', Enumerable.Repeat("abcdefghi", 26));

        var answer = await resolver.LookupTxtAsync(name, CancellationToken.None);
        var longAnswer = await resolver.LookupTxtAsync(tooLong, CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.Equal(DnsStatus.ServerFailure, longAnswer.Status);
        Assert.StartsWith("ArgumentException", longAnswer.Problem, StringComparison.Ordinal);
        Assert.Equal(0, server.UdpQueries);
    }

    [Fact]
    public async Task AClosedResolverGivesServerFailure()
    {
        var resolver = dns.NewResolver();
        Assert.Equal(DnsStatus.Records, (await resolver.LookupTxtAsync("multi.vouch.test", CancellationToken.None)).Status);

        await resolver.DisposeAsync();
        var answer = await resolver.LookupTxtAsync("multi.vouch.test", CancellationToken.None);

        Assert.Equal((DnsStatus.ServerFailure, "the resolver is closed"), (answer.Status, answer.Problem));
    }

    [Fact]
    public async Task TwoThousandQueriesAtOnceEachGetTheirOwnAnswer()
    {
        const int count = 2000;
        var zone = new StringBuilder("$ORIGIN many.test.\n$TTL 300\n@ SOA ns.many.test. hostmaster.many.test. 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.1\n");
        for (var i = 0; i < count; i++)
        {
            zone.Append(FormattableString.Invariant($"h{i} A 10.{i >> 8}.{i & 0xFF}.1\nh{i} TXT \"host {i}\"\n"));
        }

        await using var nsd = await NsdServer.StartAsync(new Dictionary<string, string> { ["many.test."] = zone.ToString() });
        await using var resolver = Resolver(TimeSpan.FromSeconds(2), 2, nsd.Endpoint);

        var lookups = Enumerable.Range(0, count).Select(async i => i % 2 == 0
            ? (i, (await resolver.LookupAddressesAsync($"h{i}.many.test", AddressFamily.InterNetwork, CancellationToken.None)).Records.Select(a => a.ToString()).ToArray())
            : (i, (await resolver.LookupTxtAsync($"h{i}.many.test", CancellationToken.None)).Records.Select(t => t.Text).ToArray())).ToArray();
        var results = await Task.WhenAll(lookups);

        Assert.All(results, result => Assert.Equal(
            [result.i % 2 == 0 ? FormattableString.Invariant($"10.{result.i >> 8}.{result.i & 0xFF}.1") : FormattableString.Invariant($"host {result.i}")],
            result.Item2));
        Assert.Equal(0, resolver.PendingQueries);
    }

    /// <summary>Counts (and takes) the datagrams already in <paramref name="socket"/>'s receive queue.</summary>
    private static int DatagramsWaiting(Socket socket)
    {
        var buffer = new byte[2048];
        var count = 0;
        while (socket.Poll(0, SelectMode.SelectRead))
        {
            socket.Receive(buffer);
            count++;
        }

        return count;
    }
}
