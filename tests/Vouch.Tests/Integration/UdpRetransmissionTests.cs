using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Vouch.Dns;
using Vouch.Dns.Wire;
using Vouch.Tests.Support;

namespace Vouch.Tests.Integration;

/// <summary>
/// The network resolver's retransmission schedule, in-flight bound and source-port rotation, against a
/// loopback socket the test answers by hand. The clock is fake where the schedule is asserted; a real
/// wait appears only as a bound on how long a datagram may take to show up (never as an assertion).
/// </summary>
public sealed class UdpRetransmissionTests
{
    /// <summary>How long a test waits for a datagram that must come before it calls the test a failure.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AnUnansweredQueryIsSentAgainOnTheBackOffScheduleThenGivenUp()
    {
        using var server = Bound();
        var clock = new FakeTimeProvider();
        await using var resolver = new NetworkResolver(
            new NetworkResolverOptions
            {
                Servers = [(IPEndPoint)server.LocalEndPoint!],
                Timeout = TimeSpan.FromSeconds(1),
                Retries = 1,
                InitialRetransmitInterval = TimeSpan.FromMilliseconds(100),
                MaxTransmissions = 5,
            },
            clock);

        var lookup = resolver.LookupTxtAsync("lost.example.test", CancellationToken.None).AsTask();
        await ReceiveAsync(server);

        // Sends at 0, 100, 300, 700 and 1500 ms (100 ms doubling, capped at the 1 s timeout), then waits out
        // the server's 2 s: 5 transmissions, the last four of them retransmissions.
        foreach (var interval in new[] { 100, 200, 400, 800 })
        {
            Assert.True(NothingArrives(server), "a retransmission came before its time");
            clock.Advance(TimeSpan.FromMilliseconds(interval - 1));
            Assert.True(NothingArrives(server), $"a retransmission came before {interval} ms");
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await ReceiveAsync(server);
        }

        Assert.True(NothingArrives(server));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var answer = await lookup.WaitAsync(Patience);

        Assert.Equal(DnsStatus.Timeout, answer.Status);
        Assert.Equal(new NetworkResolverStatistics(Retransmissions: 4, Unanswered: 1, QueueWaits: 0), resolver.Statistics);
        Assert.Equal(0, resolver.PendingQueries);
    }

    [Fact]
    public async Task AReplyToAnEarlierTransmissionCompletesTheQueryButIsNotMeasured()
    {
        using var server = Bound();
        var clock = new FakeTimeProvider();
        await using var resolver = new NetworkResolver(
            new NetworkResolverOptions { Servers = [(IPEndPoint)server.LocalEndPoint!], Timeout = TimeSpan.FromSeconds(1), InitialRetransmitInterval = TimeSpan.FromMilliseconds(100) },
            clock);
        var timer = resolver.PoolOf(0)!.Timer;

        var lookup = resolver.LookupAddressesAsync("late.example.test", AddressFamily.InterNetwork, CancellationToken.None).AsTask();
        var (first, client) = await ReceiveAsync(server);
        Assert.True(NothingArrives(server));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        var (second, _) = await ReceiveAsync(server);
        await server.SendToAsync(DnsMessageBuilder.ReplyTo(first, answers: 1).A("192.0.2.7").ToArray(), SocketFlags.None, client);
        var answer = await lookup.WaitAsync(Patience);

        Assert.Equal(first, second);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), Assert.Single(answer.Records));
        Assert.Equal(1, resolver.Statistics.Retransmissions);

        // Karn's rule: that reply may have answered either transmission, so the server is still unmeasured.
        Assert.Equal(TimeSpan.FromMilliseconds(100), timer.Current);

        var quick = resolver.LookupAddressesAsync("quick.example.test", AddressFamily.InterNetwork, CancellationToken.None).AsTask();
        var (query, from) = await ReceiveAsync(server);
        await server.SendToAsync(DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.8").ToArray(), SocketFlags.None, from);
        await quick.WaitAsync(Patience);

        // A query sent once is measured: the fake clock did not move, so the round trip is 0 and the floor rules.
        Assert.Equal(new NetworkResolverOptions().MinimumRetransmitInterval, timer.Current);
    }

    [Fact]
    public async Task QueriesBeyondTheInFlightBoundWaitAndGoOutWhenOthersFinish()
    {
        using var server = Bound();
        await using var resolver = Patient(server, maxInFlight: 2);

        var first = resolver.LookupTxtAsync("one.example.test", CancellationToken.None).AsTask();
        var second = resolver.LookupTxtAsync("two.example.test", CancellationToken.None).AsTask();
        var (queryOne, clientOne) = await ReceiveAsync(server);
        var (queryTwo, clientTwo) = await ReceiveAsync(server);
        var third = resolver.LookupTxtAsync("three.example.test", CancellationToken.None).AsTask();
        using var cancel = new CancellationTokenSource();
        var cancelled = resolver.LookupTxtAsync("four.example.test", cancel.Token).AsTask();

        Assert.True(NothingArrives(server), "a query beyond the bound was sent");
        Assert.Equal(2, resolver.Statistics.QueueWaits);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));

        await server.SendToAsync(DnsMessageBuilder.ReplyTo(queryOne).ToArray(), SocketFlags.None, clientOne);
        var (queryThree, clientThree) = await ReceiveAsync(server);
        Assert.Equal("three.example.test", DnsMessageBuilder.NameOf(queryThree));
        await server.SendToAsync(DnsMessageBuilder.ReplyTo(queryTwo).ToArray(), SocketFlags.None, clientTwo);
        await server.SendToAsync(DnsMessageBuilder.ReplyTo(queryThree).ToArray(), SocketFlags.None, clientThree);

        Assert.All(await Task.WhenAll(first, second, third).WaitAsync(Patience), answer => Assert.Equal(DnsStatus.NoData, answer.Status));
        Assert.True(NothingArrives(server), "the cancelled query was sent after all");
        Assert.Equal(0, resolver.PendingQueries);

        // The cancelled wait gave back nothing it had not taken: both slots are free again.
        var again = new[] { resolver.LookupTxtAsync("five.example.test", CancellationToken.None).AsTask(), resolver.LookupTxtAsync("six.example.test", CancellationToken.None).AsTask() };
        for (var i = 0; i < 2; i++)
        {
            var (query, client) = await ReceiveAsync(server);
            await server.SendToAsync(DnsMessageBuilder.ReplyTo(query).ToArray(), SocketFlags.None, client);
        }

        await Task.WhenAll(again).WaitAsync(Patience);
        Assert.Equal(2, resolver.Statistics.QueueWaits);
    }

    [Fact]
    public async Task SocketsAreReplacedAfterTheirQueriesAndAnOldOneDrainsBeforeItCloses()
    {
        using var server = Bound();
        await using var resolver = Patient(server, socketMaxQueries: 1);
        var held = resolver.LookupTxtAsync("held.example.test", CancellationToken.None).AsTask();
        var (heldQuery, heldClient) = await ReceiveAsync(server);

        var ports = new List<int> { heldClient.Port };
        for (var i = 0; i < 8; i++)
        {
            var lookup = resolver.LookupTxtAsync($"q{i}.example.test", CancellationToken.None).AsTask();
            var (query, client) = await ReceiveAsync(server);
            ports.Add(client.Port);
            await server.SendToAsync(DnsMessageBuilder.ReplyTo(query).ToArray(), SocketFlags.None, client);
            await lookup.WaitAsync(Patience);
        }

        // Each socket took one query: nine queries, nine source ports. The held query's socket is retired
        // but still open (four current sockets and it), waiting for its reply.
        Assert.Equal(9, ports.Distinct().Count());
        Assert.DoesNotContain(heldClient.Port, resolver.PoolOf(0)!.LocalPorts);
        Assert.Equal(5, resolver.OpenSockets);

        await server.SendToAsync(DnsMessageBuilder.ReplyTo(heldQuery, answers: 1).Record([0xC0, 0x0C], 16, 60, DnsMessageBuilder.Txt("drained")).ToArray(), SocketFlags.None, heldClient);
        var answer = await held.WaitAsync(Patience);

        Assert.Equal("drained", Assert.Single(answer.Records).Text);
        Assert.Equal(4, resolver.OpenSockets);
    }

    [Fact]
    public async Task SocketsAreReplacedWhenTheyAreOld()
    {
        using var server = Bound();
        var clock = new FakeTimeProvider();
        await using var resolver = new NetworkResolver(
            new NetworkResolverOptions { Servers = [(IPEndPoint)server.LocalEndPoint!], Timeout = TimeSpan.FromSeconds(30), InitialRetransmitInterval = TimeSpan.FromSeconds(30), SocketMaxAge = TimeSpan.FromMinutes(1) },
            clock);
        var before = await AnsweredPortAsync(server, resolver, "young.example.test");
        var opened = resolver.PoolOf(0)!.LocalPorts;

        clock.Advance(TimeSpan.FromSeconds(61));
        var after = await AnsweredPortAsync(server, resolver, "old.example.test");

        Assert.Contains(before, opened);
        Assert.DoesNotContain(after, opened);
        Assert.Equal(4, resolver.OpenSockets);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>A resolver that never retransmits within a test (30 s before the first retransmission).</summary>
    private static NetworkResolver Patient(Socket server, int maxInFlight = 256, int socketMaxQueries = 1000) =>
        new(new NetworkResolverOptions
        {
            Servers = [(IPEndPoint)server.LocalEndPoint!],
            Timeout = TimeSpan.FromSeconds(30),
            InitialRetransmitInterval = TimeSpan.FromSeconds(30),
            MinimumRetransmitInterval = TimeSpan.FromSeconds(30),
            MaxInFlightPerServer = maxInFlight,
            SocketMaxQueries = socketMaxQueries,
        });

    private static async Task<int> AnsweredPortAsync(Socket server, NetworkResolver resolver, string name)
    {
        var lookup = resolver.LookupTxtAsync(name, CancellationToken.None).AsTask();
        var (query, client) = await ReceiveAsync(server);
        await server.SendToAsync(DnsMessageBuilder.ReplyTo(query).ToArray(), SocketFlags.None, client);
        await lookup.WaitAsync(Patience);
        return client.Port;
    }

    private static async Task<(byte[] Query, IPEndPoint Client)> ReceiveAsync(Socket server)
    {
        var buffer = new byte[2048];
        using var patience = new CancellationTokenSource(Patience);
        var received = await server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), patience.Token);
        return (buffer[..received.ReceivedBytes], (IPEndPoint)received.RemoteEndPoint);
    }

    /// <summary>True when no datagram is waiting or arrives within 50 ms (which also lets the resolver arm its next timer).</summary>
    private static bool NothingArrives(Socket server) => !server.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead);
}
