using System.Net;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Spf;

namespace Vouch.Tests.Integration;

/// <summary>The DNS server dies in the middle of a run: what was not yet known becomes temperror, never a verdict.</summary>
public sealed class DnsOutageTests
{
    [Fact]
    public async Task KillingTheServerMidRunGivesTemperrorNeverPassOrFail()
    {
        const string zone = """
            $ORIGIN outage.test.
            $TTL 300
            @   SOA ns.outage.test. hostmaster.outage.test. 1 3600 600 86400 60
            @   NS  ns
            ns  A   127.0.0.1
            *   TXT "v=spf1 ip4:192.0.2.0/24 -all"
            """;
        await using var server = await NsdServer.StartAsync(new Dictionary<string, string> { ["outage.test."] = zone });
        await using var network = new NetworkResolver(new NetworkResolverOptions { Servers = [server.Endpoint], Timeout = TimeSpan.FromSeconds(1), Retries = 0 });
        var resolver = new CachingResolver(network);
        var checker = new SpfChecker(resolver);

        var results = new List<SpfResultCode>();
        for (var i = 0; i < 10; i++)
        {
            if (i == 5)
            {
                await server.StopAsync();
            }

            var client = IPAddress.Parse(i % 2 == 0 ? "192.0.2.10" : "203.0.113.10");
            results.Add((await checker.CheckMailFromAsync(client, $"user@d{i}.outage.test", "h.outage.test", CancellationToken.None)).Code);
        }

        Assert.Equal([SpfResultCode.Pass, SpfResultCode.Fail, SpfResultCode.Pass, SpfResultCode.Fail, SpfResultCode.Pass], results.Take(5));
        Assert.All(results.Skip(5), code => Assert.Equal(SpfResultCode.TempError, code));
        Assert.False(server.IsRunning);
    }
}
