using System.Net;
using Vouch.Dns;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Dns.Zones;
using Vouch.Spf;
using Vouch.Tests.Conformance;

namespace Vouch.Tests.Integration;

/// <summary>
/// The RFC 7208 suite again, its zonedata served by a real NSD and read through the network resolver and
/// the cache. Cases whose in-memory run touches a TIMEOUT entry are not repeated here: a real server cannot
/// be told to time out for one name, and those cases run in the in-memory suite.
/// </summary>
public sealed class NetworkConformanceTests(SuiteServersFixture servers) : IClassFixture<SuiteServersFixture>
{
    public static TheoryData<SuiteCaseName> CaseNames() => SpfConformanceTests.CaseNames();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Rfc7208CaseOverRealDns(SuiteCaseName name)
    {
        var suiteCase = SpfTestSuite.Shared.Cases.Single(c => c.Name == name.Name);
        var client = IPAddress.Parse(suiteCase.Host);
        var inMemory = await new SpfChecker(new ZoneResolver(suiteCase.Zone)).CheckMailFromAsync(client, suiteCase.MailFrom, suiteCase.Helo, CancellationToken.None);
        var touchesTimeout = inMemory.Trace.OfType<SpfDnsQueryEvent>().Any(q => q.Status == DnsStatus.Timeout);

        if (touchesTimeout)
        {
            // Recorded, not hidden: the in-memory run of this case asserts it.
            Assert.True(suiteCase.ZoneHasTimeouts);
            return;
        }

        var server = await servers.ServerForAsync(suiteCase);
        await using var network = new NetworkResolver(new NetworkResolverOptions { Servers = [server.Endpoint] });
        var resolver = new CachingResolver(network);
        var result = await new SpfChecker(resolver).CheckMailFromAsync(client, suiteCase.MailFrom, suiteCase.Helo, CancellationToken.None);

        Assert.True(suiteCase.Results.Contains(result.Code.ToToken()),
            $"{suiteCase.Name}: expected {string.Join(" or ", suiteCase.Results)}, got {result.Code.ToToken()} over real DNS; problem: {result.Problem}");
        if (result.Code == inMemory.Code)
        {
            Assert.Equal(inMemory.Explanation, result.Explanation);
        }
    }
}
