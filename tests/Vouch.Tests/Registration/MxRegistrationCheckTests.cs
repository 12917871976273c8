using System.Net;
using Vouch.Dns;
using Vouch.Registration;
using Vouch.Tests.Support;

namespace Vouch.Tests.Registration;

public sealed class MxRegistrationCheckTests
{
    private static async Task<RegistrationResult> CheckAsync(TestZone zone, string ip, string sender, string helo, RegistrationOptions? options = null)
    {
        var resolver = zone.Resolver();
        var client = IPAddress.Parse(ip);
        var fcrdns = new FcrdnsCheck(resolver, options).CheckAsync(client, CancellationToken.None);
        return await new MxRegistrationCheck(resolver, TestSuffixes.List, options).CheckAsync(client, Vouch.Smtp.ReversePath.Parse(sender), Vouch.Smtp.HeloName.Parse(helo), () => fcrdns, CancellationToken.None);
    }

    private static TestZone Shop() => new TestZone()
        .Mx("shop.example", 10, "mx.shop.example").A("mx.shop.example", "192.0.2.5")
        .Mx("mailout.example", 10, "out1.mailout.example").Mx("mailout.example", 20, "out2.mailout.example")
        .A("out1.mailout.example", "198.51.100.40").A("out2.mailout.example", "198.51.100.41")
        .Ptr("198.51.100.41", "out2.mailout.example");

    [Fact]
    public async Task TheSendersOwnMxHostIsRegisteredViaMailFrom()
    {
        var result = await CheckAsync(Shop(), "192.0.2.5", "orders@shop.example", "whatever.example");

        Assert.Equal(RegistrationResultCode.Registered, result.Code);
        Assert.Equal(("shop.example", "shop.example", RegistrationRoute.MailFrom, "mx.shop.example", 10), (result.Domain, result.Owner, result.Via!.Value, result.MxHost, result.Preference!.Value));
        Assert.True(result.IsLowestPriority);
        Assert.Equal(2, result.DnsQueries);
    }

    [Fact]
    public async Task AnOutboundOnlyDomainNamedInTheHeloRegistersItsServer()
    {
        var result = await CheckAsync(Shop(), "198.51.100.40", "orders@shop.example", "out1.mailout.example");

        Assert.Equal((RegistrationResultCode.Registered, "mailout.example", RegistrationRoute.Helo), (result.Code, result.Domain, result.Via!.Value));
        Assert.Collection(result.Candidates,
            c => Assert.Equal(("shop.example", CandidateOutcome.NotListed, false), (c.Domain, c.Outcome, c.IsOrganizationalDomain)),
            c => Assert.Equal(("out1.mailout.example", CandidateOutcome.NoMx, false), (c.Domain, c.Outcome, c.IsOrganizationalDomain)),
            c => Assert.Equal(("mailout.example", CandidateOutcome.Registered, true), (c.Domain, c.Outcome, c.IsOrganizationalDomain)));
        Assert.False(result.IsLowestPriority);
    }

    [Fact]
    public async Task AConfirmedPtrNameRegistersTheServerWhenTheHeloIsALiteral()
    {
        var result = await CheckAsync(Shop(), "198.51.100.41", "orders@shop.example", "[198.51.100.41]");

        Assert.Equal((RegistrationResultCode.Registered, "mailout.example", RegistrationRoute.Ptr, "out2.mailout.example"), (result.Code, result.Domain, result.Via!.Value, result.MxHost));
        Assert.True(result.IsLowestPriority);
    }

    [Fact]
    public async Task AFailedPtrLookupLeavesRegistrationUnknownNotUnregistered()
    {
        var resolver = new PtrFailingResolver(Shop().Resolver());
        var client = IPAddress.Parse("198.51.100.41");
        var fcrdns = new FcrdnsCheck(resolver).CheckAsync(client, CancellationToken.None);

        var result = await new MxRegistrationCheck(resolver, TestSuffixes.List).CheckAsync(client, Vouch.Smtp.ReversePath.Parse("orders@shop.example"), Vouch.Smtp.HeloName.Parse("[198.51.100.41]"), () => fcrdns, CancellationToken.None);

        Assert.Equal(RegistrationResultCode.TempError, result.Code);
        Assert.StartsWith("reverse DNS: PTR lookup for 198.51.100.41 failed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnconfirmedPtrNameIsNotACandidate()
    {
        var zone = Shop().Ptr("198.51.100.77", "out1.mailout.example");

        var result = await CheckAsync(zone, "198.51.100.77", "orders@shop.example", "[198.51.100.77]");

        Assert.Equal(RegistrationResultCode.Unregistered, result.Code);
        Assert.DoesNotContain(result.Candidates, c => c.Via == RegistrationRoute.Ptr);
    }

    [Fact]
    public async Task ALowPriorityMxIsRegisteredAndSaysSo()
    {
        var zone = new TestZone().Mx("example.net", 10, "mail.example.net").Mx("example.net", 90, "relay.example.net")
            .A("mail.example.net", "198.51.100.20").A("relay.example.net", "198.51.100.30");

        var relay = await CheckAsync(zone, "198.51.100.30", "bob@example.net", "relay.example.net");
        var primary = await CheckAsync(zone, "198.51.100.20", "bob@example.net", "mail.example.net");

        Assert.Equal((RegistrationResultCode.Registered, 90, true), (relay.Code, relay.Preference!.Value, relay.IsLowestPriority!.Value));
        Assert.Equal((RegistrationResultCode.Registered, 10, false), (primary.Code, primary.Preference!.Value, primary.IsLowestPriority!.Value));
    }

    [Fact]
    public async Task Ipv6ClientsMatchAaaaRecords()
    {
        var zone = new TestZone().Mx("example.org", 10, "mx.example.org").A("mx.example.org", "192.0.2.9", "2001:db8::25");

        var result = await CheckAsync(zone, "2001:db8::25", "a@example.org", "mx.example.org");

        Assert.Equal(RegistrationResultCode.Registered, result.Code);
    }

    [Fact]
    public async Task ACnamedMxHostIsFollowed()
    {
        var zone = new TestZone().Mx("example.org", 10, "mx.example.org").Cname("mx.example.org", "real-host.example.net").A("real-host.example.net", "192.0.2.44");

        var result = await CheckAsync(zone, "192.0.2.44", "a@example.org", "h.example.org");

        Assert.Equal((RegistrationResultCode.Registered, "mx.example.org"), (result.Code, result.MxHost));
    }

    [Fact]
    public async Task AnMxHostWithManyAddressesMatchesAnyOfThem()
    {
        var zone = new TestZone().Mx("example.org", 10, "pool.example.org")
            .A("pool.example.org", "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6", "192.0.2.7", "192.0.2.8");

        Assert.Equal(RegistrationResultCode.Registered, (await CheckAsync(zone, "192.0.2.8", "a@example.org", "x.example")).Code);
        Assert.Equal(RegistrationResultCode.Unregistered, (await CheckAsync(zone, "192.0.2.9", "a@example.org", "x.example")).Code);
    }

    [Fact]
    public async Task ANullMxSenderCannotVouchAndIsFlagged()
    {
        var zone = new TestZone().Mx("noreply.example.org", 0, ".");

        var result = await CheckAsync(zone, "192.0.2.1", "alerts@noreply.example.org", "mail.example.net");

        Assert.Equal(RegistrationResultCode.Unregistered, result.Code);
        Assert.True(result.SenderHasNullMx);
        Assert.Equal(CandidateOutcome.NullMx, result.Candidates[0].Outcome);
    }

    [Theory]
    [InlineData(false, RegistrationResultCode.Unregistered)]
    [InlineData(true, RegistrationResultCode.Registered)]
    public async Task ImplicitMxIsOffByDefault(bool implicitMx, RegistrationResultCode expected)
    {
        var zone = new TestZone().A("small.example", "192.0.2.77");

        var result = await CheckAsync(zone, "192.0.2.77", "a@small.example", "small.example", new RegistrationOptions { ImplicitMx = implicitMx });

        Assert.Equal(expected, result.Code);
        if (implicitMx)
        {
            Assert.Equal("small.example", result.MxHost);
        }
    }

    [Fact]
    public async Task DnsTroubleOnARouteIsTemperrorNotUnregistered()
    {
        var zone = new TestZone().Fail("shop.example", DnsStatus.Timeout, DnsRecordType.MX);

        var result = await CheckAsync(zone, "192.0.2.5", "orders@shop.example", "[192.0.2.5]");

        Assert.Equal(RegistrationResultCode.TempError, result.Code);
        Assert.Contains("shop.example", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARouteThatWorksWinsOverOneThatFailed()
    {
        var zone = Shop().Fail("shop.example", DnsStatus.ServerFailure, DnsRecordType.MX);

        var result = await CheckAsync(zone, "198.51.100.40", "orders@shop.example", "out1.mailout.example");

        Assert.Equal(RegistrationResultCode.Registered, result.Code);
    }

    [Fact]
    public async Task TheQueryBudgetBoundsTheWorkAndIsNoted()
    {
        var result = await CheckAsync(Shop(), "198.51.100.40", "orders@shop.example", "out1.mailout.example", new RegistrationOptions { QueryBudget = 3 });

        Assert.Equal(RegistrationResultCode.Unregistered, result.Code);
        Assert.Equal(3, result.DnsQueries);
        Assert.Contains(result.Candidates, c => c.Outcome == CandidateOutcome.NotTried);
        Assert.Contains("query budget", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANetworkPrefixCanCountAsAMatch()
    {
        var zone = new TestZone().Mx("example.org", 10, "mx.example.org").A("mx.example.org", "192.0.2.10");

        Assert.Equal(RegistrationResultCode.Unregistered, (await CheckAsync(zone, "192.0.2.99", "a@example.org", "x.example")).Code);
        Assert.Equal(RegistrationResultCode.Registered, (await CheckAsync(zone, "192.0.2.99", "a@example.org", "x.example", new RegistrationOptions { MatchPrefixLengthIPv4 = 24 })).Code);
    }
}
