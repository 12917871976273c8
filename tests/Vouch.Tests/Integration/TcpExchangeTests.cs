using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Dns;
using Vouch.Dns.Wire;
using Vouch.Tests.Support;

namespace Vouch.Tests.Integration;

/// <summary>
/// The network resolver's TCP after a truncated UDP reply, with the same reader as UDP: against NSD (every
/// record type it asks for, too large for 512 octets) and against scripted servers whose TCP side is hostile.
/// </summary>
[Collection(RealDnsCollection.Name)]
public sealed class TcpExchangeTests
{
    private static NetworkResolver Resolver(TimeSpan timeout, params IPEndPoint[] servers) =>
        new(new NetworkResolverOptions { Servers = servers, Timeout = timeout, Retries = 0 });

    private static IEnumerable<byte[]> Truncated(byte[] query) => [DnsMessageBuilder.ReplyTo(query, truncated: true).ToArray()];

    [Fact]
    public async Task EveryRecordTypeTooLargeForUdpArrivesOverTcpFromNsd()
    {
        var zone = new StringBuilder("$ORIGIN tcp.test.\n$TTL 300\n@ SOA ns.tcp.test. hostmaster.tcp.test. 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.1\n");
        for (var i = 0; i < 40; i++)
        {
            zone.Append(FormattableString.Invariant($"mail MX {i} mx{i}.tcp.test.\nmany A 10.0.0.{i}\nmany AAAA 2001:db8::{i:x}\nlist APL 1:192.0.{i}.0/24 !1:192.0.{i}.128/25\n"));
        }

        zone.Append("alias CNAME text\ntext TXT").Append(string.Concat(Enumerable.Range(0, 6).Select(i => $" \"{new string((char)('a' + i), 120)}\""))).Append('\n');
        await using var nsd = await NsdServer.StartAsync(new Dictionary<string, string> { ["tcp.test."] = zone.ToString() });
        await using var resolver = new NetworkResolver(new NetworkResolverOptions { Servers = [nsd.Endpoint], UdpPayloadSize = 512 });

        var mx = await resolver.LookupMxAsync("mail.tcp.test", CancellationToken.None);
        var a = await resolver.LookupAddressesAsync("many.tcp.test", AddressFamily.InterNetwork, CancellationToken.None);
        var aaaa = await resolver.LookupAddressesAsync("many.tcp.test", AddressFamily.InterNetworkV6, CancellationToken.None);
        var txt = await resolver.LookupTxtAsync("alias.tcp.test", CancellationToken.None);
        var apl = await resolver.LookupAplAsync("list.tcp.test", CancellationToken.None);

        Assert.Equal(40, mx.Records.Count);
        Assert.Contains(new MxRecord(39, "mx39.tcp.test"), mx.Records);
        Assert.Equal(40, a.Records.Count);
        Assert.Contains(IPAddress.Parse("10.0.0.39"), a.Records);
        Assert.Equal(40, aaaa.Records.Count);
        Assert.Contains(IPAddress.Parse("2001:db8::27"), aaaa.Records);
        Assert.Equal((6, 720, TimeSpan.FromSeconds(300)), (Assert.Single(txt.Records).Strings.Count, txt.Records[0].Text.Length, txt.TimeToLive));
        Assert.Equal(80, apl.Records.Count);
        Assert.Contains("!1:192.0.39.128/25", apl.Records.Select(item => item.ToString()));
        Assert.Equal(0, resolver.PendingQueries);
    }

    [Theory]
    [InlineData("a length beyond the data", "closed before the whole message")]
    [InlineData("nothing, then closed", "closed before the whole message")]
    [InlineData("half a length, then closed", "closed before the whole message")]
    [InlineData("a zero length", "length 0")]
    [InlineData("shorter than a header", "not a reply to the query")]
    [InlineData("a wrong ID", "not a reply to the query")]
    [InlineData("another question", "not a reply to the query")]
    [InlineData("garbage", "not a reply to the query")]
    [InlineData("truncated again", "truncated over TCP")]
    [InlineData("an answer count beyond the message", "malformed reply")]
    [InlineData("a reset", "SocketException")]
    public async Task AHostileTcpReplyIsAServerFailure(string flaw, string problem)
    {
        await using var server = ScriptedDnsServer.StartWithRawTcp(Truncated, query => flaw switch
        {
            "a length beyond the data" => [0x01, 0x00, .. DnsMessageBuilder.ReplyTo(query).ToArray()],
            "nothing, then closed" => [],
            "half a length, then closed" => [0x00],
            "a zero length" => [0x00, 0x00],
            "shorter than a header" => ScriptedDnsServer.Framed([query[0], query[1], 0x81, 0x80]),
            "a wrong ID" => ScriptedDnsServer.Framed(DnsMessageBuilder.ReplyTo(query, answers: 1, id: (ushort)(((query[0] << 8) | query[1]) + 1)).A("192.0.2.66").ToArray()),
            "another question" => ScriptedDnsServer.Framed(new DnsMessageBuilder().Raw(query[0], query[1], 0x81, 0x80).UInt16(1).UInt16(0).UInt16(0).UInt16(0)
                .Raw(DnsMessageBuilder.Name("other.example.test")).UInt16(1).UInt16(1).ToArray()),
            "garbage" => ScriptedDnsServer.Framed([.. Enumerable.Repeat((byte)0xFF, 300)]),
            "truncated again" => ScriptedDnsServer.Framed(DnsMessageBuilder.ReplyTo(query, truncated: true).ToArray()),
            "an answer count beyond the message" => ScriptedDnsServer.Framed(DnsMessageBuilder.ReplyTo(query, answers: 2).A("192.0.2.1").ToArray()),
            _ => ScriptedDnsServer.Reset,
        });
        await using var resolver = Resolver(TimeSpan.FromSeconds(30), server.Endpoint);

        var answer = await resolver.LookupAddressesAsync("hostile.example.test", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.Contains(problem, answer.Problem, StringComparison.Ordinal);
        Assert.Equal((1, 1), (server.UdpQueries, server.TcpQueries));
        Assert.Equal(0, resolver.PendingQueries);
    }

    [Fact]
    public async Task ARefusedConnectionIsAServerFailure()
    {
        await using var server = ScriptedDnsServer.StartRefusingTcp(Truncated);
        await using var resolver = Resolver(TimeSpan.FromSeconds(30), server.Endpoint);

        var answer = await resolver.LookupTxtAsync("refused.example.test", CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.StartsWith("SocketException", answer.Problem, StringComparison.Ordinal);
        Assert.EndsWith($"({server.Endpoint} over TCP)", answer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailureOverTcpMovesOnToTheNextServer()
    {
        await using var hostile = ScriptedDnsServer.StartWithRawTcp(Truncated, _ => [0x7F, 0xFF, 0x00]);
        await using var good = ScriptedDnsServer.Start(query => [DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.10").ToArray()]);
        await using var resolver = Resolver(TimeSpan.FromSeconds(30), hostile.Endpoint, good.Endpoint);

        var answer = await resolver.LookupAddressesAsync("onwards.example.test", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.Single(answer.Records));
        Assert.Equal((1, 1, 1), (hostile.UdpQueries, hostile.TcpQueries, good.UdpQueries));
    }

    [Fact]
    public async Task ASilentConnectionIsATimeoutOnceTheServersTimeIsUp()
    {
        await using var server = ScriptedDnsServer.StartWithRawTcp(Truncated, _ => null);
        await using var resolver = Resolver(TimeSpan.FromMilliseconds(100), server.Endpoint);

        var answer = await resolver.LookupTxtAsync("silent.example.test", CancellationToken.None);

        Assert.Equal(DnsStatus.Timeout, answer.Status);
        Assert.Equal(1, server.TcpQueries);
    }

    [Fact]
    public async Task CancellingTheCallerStopsTheTcpWait()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = ScriptedDnsServer.StartWithRawTcp(Truncated, _ =>
        {
            asked.TrySetResult();
            return null;
        });
        await using var resolver = Resolver(TimeSpan.FromMinutes(5), server.Endpoint);
        using var cancel = new CancellationTokenSource();

        var lookup = resolver.LookupTxtAsync("slow.example.test", cancel.Token).AsTask();
        await asked.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
        Assert.Equal(0, resolver.PendingQueries);
    }
}
