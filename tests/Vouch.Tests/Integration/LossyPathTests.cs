using System.Net;
using System.Text;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Integration;

/// <summary>
/// The network resolver through a lossy UDP path (a relay that drops datagrams) in front of a real NSD:
/// every check still gets its real answer, and long before the fixed timeout would have allowed.
/// </summary>
public sealed class LossyPathTests
{
    private const int Checks = 300;

    [Fact]
    public async Task ChecksThroughAPathLosingADatagramOfTwoQueriesInThreeAllPassWithinADeadlineShorterThanTheTimeout()
    {
        var zone = new StringBuilder("$ORIGIN lossy.test.\n$TTL 300\n@ SOA ns.lossy.test. hostmaster.lossy.test. 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.1\n");
        for (var i = 0; i < Checks; i++)
        {
            zone.Append(FormattableString.Invariant($"h{i} A 10.0.{i >> 8}.{i & 0xFF}\nh{i} TXT \"v=spf1 a -all\"\n"));
        }

        await using var nsd = await NsdServer.StartAsync(new Dictionary<string, string> { ["lossy.test."] = zone.ToString() });
        await using var relay = LossyUdpRelay.Start(nsd.Endpoint, dropQueryEvery: 3, dropReplyEvery: 3);

        // A lookup that waited for the fixed 2 s timeout would miss the 1 s deadline of its check: each check
        // passes only if every lost datagram was retransmitted early.
        await using var network = new NetworkResolver(new NetworkResolverOptions { Servers = [relay.Endpoint], Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var cache = new CachingResolver(network);
        var checker = new SpfChecker(cache);
        var results = new SpfResult[Checks];
        await Parallel.ForEachAsync(Enumerable.Range(0, Checks), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            results[i] = await checker.CheckMailFromAsync(IPAddress.Parse(FormattableString.Invariant($"10.0.{i >> 8}.{i & 0xFF}")), $"a@h{i}.lossy.test", "helo.lossy.test", deadline.Token);
        });

        Assert.All(results, result => Assert.Equal(SpfResultCode.Pass, result.Code));

        // TXT and A for each check, each query losing its first transmission or first reply two times in three.
        var statistics = cache.Statistics;
        Assert.Equal(2 * Checks, relay.DistinctQueries);
        Assert.True(relay.Dropped >= 2 * Checks * 2 / 3, $"{relay.Dropped} datagrams dropped");
        Assert.True(statistics.Retransmissions >= relay.Dropped, $"{statistics.Retransmissions} retransmissions for {relay.Dropped} datagrams dropped");
        Assert.Equal((0, 0), (statistics.Unanswered, statistics.Failures));
        Assert.Equal(0, network.PendingQueries);
    }
}
