using System.Net;
using Vouch.Dns;
using Vouch.Registration;
using Vouch.Tests.Support;

namespace Vouch.Tests.Registration;

public sealed class FcrdnsCheckTests
{
    private static Task<FcrdnsResult> CheckAsync(TestZone zone, string ip) =>
        new FcrdnsCheck(zone.Resolver()).CheckAsync(IPAddress.Parse(ip), CancellationToken.None);

    [Fact]
    public async Task APtrNameThatResolvesBackPasses()
    {
        var result = await CheckAsync(new TestZone().Ptr("192.0.2.1", "mail.example.com").Ptr("192.0.2.1", "other.example.com").A("mail.example.com", "192.0.2.1"), "192.0.2.1");

        Assert.Equal(FcrdnsResultCode.Pass, result.Code);
        Assert.Equal(["mail.example.com"], result.ConfirmedNames);
        Assert.Equal(2, result.PtrNames.Count);
    }

    [Fact]
    public async Task Ipv6ClientsAreConfirmedByAaaa()
    {
        var result = await CheckAsync(new TestZone().Ptr("2001:db8::1", "v6.example.com").A("v6.example.com", "2001:db8::1"), "2001:db8::1");

        Assert.Equal(FcrdnsResultCode.Pass, result.Code);
    }

    [Fact]
    public async Task NamesThatDoNotResolveBackFail()
    {
        var result = await CheckAsync(new TestZone().Ptr("192.0.2.1", "dsl.isp.example").A("dsl.isp.example", "192.0.2.99"), "192.0.2.1");

        Assert.Equal(FcrdnsResultCode.Fail, result.Code);
        Assert.Empty(result.ConfirmedNames);
    }

    [Fact]
    public async Task NoPtrIsNone() =>
        Assert.Equal(FcrdnsResultCode.None, (await CheckAsync(new TestZone(), "192.0.2.1")).Code);

    [Fact]
    public async Task DnsTroubleIsTemperror()
    {
        var zone = new TestZone().Fail(DnsName.ReverseName(IPAddress.Parse("192.0.2.1")), DnsStatus.ServerFailure);

        var result = await CheckAsync(zone, "192.0.2.1");

        Assert.Equal(FcrdnsResultCode.TempError, result.Code);
        Assert.NotNull(result.Problem);
    }

    [Fact]
    public async Task AtMostTenNamesAreLookedAt()
    {
        var zone = new TestZone();
        for (var i = 0; i < 15; i++)
        {
            zone.Ptr("192.0.2.1", $"n{i}.example.com");
        }

        zone.A("n14.example.com", "192.0.2.1");
        var result = await CheckAsync(zone, "192.0.2.1");

        Assert.Equal(10, result.PtrNames.Count);
        Assert.Equal(FcrdnsResultCode.Fail, result.Code);
    }
}
