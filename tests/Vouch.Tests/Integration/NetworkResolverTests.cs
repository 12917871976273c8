using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vouch.Dns;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Spf;
using Vouch.Tests.Cli;
using Vouch.Tests.Support;

namespace Vouch.Tests.Integration;

/// <summary>The network resolver and the SPF engine against a real authoritative server (NSD).</summary>
[Collection(RealDnsCollection.Name)]
public sealed class NetworkResolverTests(RealDnsFixture dns)
{
    private Task<SpfResult> CheckAsync(string ip, string sender, IDnsResolver? resolver = null) =>
        new SpfChecker(resolver ?? dns.NewResolver()).CheckMailFromAsync(IPAddress.Parse(ip), sender, "helo.vouch.test", CancellationToken.None);

    [Fact]
    public async Task TheStringsOfATxtRecordAreKeptApart()
    {
        var answer = await dns.NewResolver().LookupTxtAsync("multi.vouch.test", CancellationToken.None);

        Assert.Equal(DnsStatus.Records, answer.Status);
        Assert.Equal(["v=spf1 ip4:192.0.2.0", "/24 ip6:2001:db8:1::/48", " -all"], Assert.Single(answer.Records).Strings);
        Assert.Equal(TimeSpan.FromSeconds(300), answer.TimeToLive);
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("192.0.2.5", "a@multi.vouch.test")).Code);
    }

    [Fact]
    public async Task ARecordLargerThanAUdpReplyArrivesOverTcp()
    {
        var answer = await dns.NewResolver().LookupTxtAsync("long.vouch.test", CancellationToken.None);

        var record = Assert.Single(answer.Records);
        Assert.True(record.Text.Length > 1232, $"the record is {record.Text.Length} octets");
        Assert.Equal(8, record.Strings.Count);
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("192.0.2.90", "a@long.vouch.test")).Code);
    }

    [Fact]
    public async Task NoDataAndNoSuchDomainAreToldApart()
    {
        var resolver = dns.NewResolver();

        var nodata = await resolver.LookupTxtAsync("nodata.vouch.test", CancellationToken.None);
        var nxdomain = await resolver.LookupTxtAsync("missing.vouch.test", CancellationToken.None);

        Assert.Equal(DnsStatus.NoData, nodata.Status);
        Assert.Equal(DnsStatus.NoSuchDomain, nxdomain.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), nxdomain.TimeToLive);
        Assert.Equal(TimeSpan.FromSeconds(60), nodata.TimeToLive);
    }

    [Fact]
    public async Task CnameChainsAreFollowedInsideAndOutsideTheZone()
    {
        var resolver = dns.NewResolver();

        var inside = await resolver.LookupTxtAsync("alias.vouch.test", CancellationToken.None);
        var outside = await resolver.LookupTxtAsync("away.vouch.test", CancellationToken.None);

        Assert.Equal("v=spf1 a:host.vouch.test -all", Assert.Single(inside.Records).Text);
        Assert.Equal("v=spf1 ip4:192.0.2.99 -all", Assert.Single(outside.Records).Text);
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("192.0.2.60", "a@alias.vouch.test")).Code);
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("192.0.2.99", "a@away.vouch.test")).Code);
    }

    [Fact]
    public async Task AnMxWithManyHostsIsLookedUpInFull()
    {
        var mx = await dns.NewResolver().LookupMxAsync("manymx.vouch.test", CancellationToken.None);

        Assert.Equal(8, mx.Records.Count);
        Assert.Contains(new MxRecord(80, "mx8.vouch.test"), mx.Records);
        var result = await CheckAsync("192.0.2.118", "a@manymx.vouch.test");
        Assert.Equal((SpfResultCode.Pass, "mx"), (result.Code, result.Mechanism));
        Assert.Equal(SpfResultCode.Fail, (await CheckAsync("192.0.2.200", "a@manymx.vouch.test")).Code);
    }

    [Fact]
    public async Task Ipv6AddressesAndIp6MechanismsWork()
    {
        var aaaa = await dns.NewResolver().LookupAddressesAsync("six.vouch.test", AddressFamily.InterNetworkV6, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("2001:db8:66::1"), Assert.Single(aaaa.Records));
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("2001:db8:66::1", "a@six.vouch.test")).Code);
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("2001:db8:6::5", "a@six.vouch.test")).Code);
        Assert.Equal(SpfResultCode.Fail, (await CheckAsync("2001:db8:7::1", "a@six.vouch.test")).Code);
    }

    [Fact]
    public async Task PtrNamesAreLookedUpAndForwardConfirmed()
    {
        var ptr = await dns.NewResolver().LookupPtrAsync(IPAddress.Parse("192.0.2.70"), CancellationToken.None);

        Assert.Equal("mail.ptr.vouch.test", Assert.Single(ptr.Records));
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("192.0.2.70", "a@ptr.vouch.test")).Code);
        Assert.Equal(SpfResultCode.Pass, (await CheckAsync("2001:db8::70", "a@ptr.vouch.test")).Code);
        Assert.Equal(SpfResultCode.Fail, (await CheckAsync("192.0.2.71", "a@ptr.vouch.test")).Code);
    }

    [Fact]
    public async Task AplRecordsAreReadFromTheWire()
    {
        var apl = await dns.NewResolver().LookupAplAsync("relays.vouch.test", CancellationToken.None);

        Assert.Equal(["1:192.0.2.0/24", "!1:192.0.2.0/29", "2:2001:db8:9::/48"], apl.Records.Select(i => i.ToString()));
        var checker = new Vouch.Rmx.RmxCheck(dns.NewResolver());
        var noPtr = Task.FromResult(new Vouch.Registration.FcrdnsResult(Vouch.Registration.FcrdnsResultCode.None, [], [], null));
        Func<Task<Vouch.Registration.FcrdnsResult>> none = () => noPtr;
        Assert.Equal(Vouch.Rmx.RmxResultCode.Granted, (await checker.CheckAsync(IPAddress.Parse("192.0.2.99"), Vouch.Smtp.ReversePath.Parse("a@rmx.vouch.test"), Vouch.Smtp.HeloName.Parse("h.vouch.test"), none, CancellationToken.None)).Code);
        Assert.Equal(Vouch.Rmx.RmxResultCode.NotInRmx, (await checker.CheckAsync(IPAddress.Parse("192.0.2.3"), Vouch.Smtp.ReversePath.Parse("a@rmx.vouch.test"), Vouch.Smtp.HeloName.Parse("h.vouch.test"), none, CancellationToken.None)).Code);
        Assert.Equal(Vouch.Rmx.RmxResultCode.Denied, (await checker.CheckAsync(IPAddress.Parse("198.51.100.66"), Vouch.Smtp.ReversePath.Parse("a@rmx.vouch.test"), Vouch.Smtp.HeloName.Parse("h.vouch.test"), none, CancellationToken.None)).Code);
    }

    [Fact]
    public async Task AServfailIsATemporaryFailureAndTemperror()
    {
        var answer = await dns.NewResolver().LookupTxtAsync("x.broken.test", CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.StartsWith("ServerFailure from", answer.Problem, StringComparison.Ordinal);
        Assert.Equal(SpfResultCode.TempError, (await CheckAsync("192.0.2.1", "a@x.broken.test")).Code);
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerGivesTemperror()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var resolver = new NetworkResolver(new NetworkResolverOptions { Servers = [(IPEndPoint)silent.LocalEndPoint!], Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });

        var answer = await resolver.LookupTxtAsync("multi.vouch.test", CancellationToken.None);
        var result = await CheckAsync("192.0.2.5", "a@multi.vouch.test", resolver);

        Assert.Equal(DnsStatus.Timeout, answer.Status);
        Assert.Equal(SpfResultCode.TempError, result.Code);
    }

    [Fact]
    public async Task APortWhereNothingListensGivesTemperror()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var resolver = new NetworkResolver(new NetworkResolverOptions { Servers = [new IPEndPoint(IPAddress.Loopback, port)], Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });

        var answer = await resolver.LookupTxtAsync("multi.vouch.test", CancellationToken.None);
        var result = await CheckAsync("192.0.2.5", "a@multi.vouch.test", resolver);

        Assert.True(answer.Status.IsTemporaryFailure(), $"got {answer.Status}");
        Assert.Equal(SpfResultCode.TempError, result.Code);
    }

    [Fact]
    public async Task ConcurrentIdenticalChecksShareTheirQueries()
    {
        var counting = new CountingResolver(dns.NewResolver());
        var cache = new CachingResolver(counting);
        var checker = new SpfChecker(cache);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            Task.Run(() => checker.CheckMailFromAsync(IPAddress.Parse("192.0.2.118"), "a@manymx.vouch.test", "helo.vouch.test", CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(SpfResultCode.Pass, r.Code));

        // One TXT, one MX and eight A questions: each sent once, however many checks asked.
        Assert.Equal(10, counting.Queries);
        var statistics = cache.Statistics;
        Assert.Equal(10, statistics.Queries);
        Assert.Equal(1000, statistics.Hits + statistics.Misses);
        Assert.Equal(statistics.Misses - statistics.Queries, statistics.Joins);
    }

    [Fact]
    public async Task TheCommandLineAsksTheGivenServer()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("check", "--dns", dns.Address, "--ip", "192.0.2.118", "--sender", "a@manymx.vouch.test", "--helo", "helo.vouch.test", "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("pass", document.RootElement.GetProperty("spf").GetProperty("result").GetString());
        Assert.Equal("fail", document.RootElement.GetProperty("helo_spf").GetProperty("result").GetString());
    }

    [Fact]
    public async Task ZoneDataAnswersFirstAndTheNetworkTheRest()
    {
        var zone = Path.Combine(Path.GetTempPath(), $"vouch-override-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(zone, "$ORIGIN multi.vouch.test.\n@ 300 TXT \"v=spf1 ip4:203.0.113.5 -all\"\n");
        try
        {
            var (_, output, error) = await CliRunner.RunWithInputAsync(
                """
                {"ip":"203.0.113.5","sender":"a@multi.vouch.test","helo":"helo.vouch.test"}
                {"ip":"192.0.2.118","sender":"a@manymx.vouch.test","helo":"helo.vouch.test"}
                """ + "\n",
                "check", "--zone", zone, "--dns", dns.Address, "--batch", "-");

            var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spf").GetProperty("result").GetString() ?? "").ToArray();
            Assert.True(answers.Length == 2, error);
            Assert.Equal(new[] { "pass", "pass" }, answers);
        }
        finally
        {
            File.Delete(zone);
        }
    }
}
