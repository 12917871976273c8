using System.Net;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Reputation;

/// <summary>Who vouched and how firmly, read from real SPF and MX checks over zone data.</summary>
public sealed class VouchingReaderTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    [Fact]
    public async Task The_owners_own_ip4_term_is_a_strong_vouch_of_the_owner()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        var vouching = await ReadAsync(zone, "news@example.com");

        Assert.Equal(("example.com", null, VouchMethod.Spf, VouchStrength.Strong, "ip4:192.0.2.0/24"), (vouching!.Owner, vouching.Via, vouching.Method, vouching.Strength, vouching.Term));
    }

    [Fact]
    public async Task A_pass_through_an_include_into_another_organisation_is_shared_via_it()
    {
        var zone = new TestZone()
            .Txt("example.com", "v=spf1 include:_spf.esp.net -all")
            .Txt("_spf.esp.net", "v=spf1 include:_netblocks.esp.net ~all")
            .Txt("_netblocks.esp.net", "v=spf1 ip4:192.0.2.0/25 ~all");

        var vouching = await ReadAsync(zone, "a@example.com");

        Assert.Equal(("example.com", "esp.net", VouchStrength.Shared), (vouching!.Owner, vouching.Via, vouching.Strength));
    }

    [Fact]
    public async Task A_redirect_to_another_organisation_is_shared_too()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 redirect=_spf.esp.net").Txt("_spf.esp.net", "v=spf1 a:out.esp.net -all").A("out.esp.net", "192.0.2.10");

        var vouching = await ReadAsync(zone, "a@example.com");

        Assert.Equal(("esp.net", VouchStrength.Shared), (vouching!.Via, vouching.Strength));
    }

    [Theory]
    [InlineData("v=spf1 +all")]
    [InlineData("v=spf1 ip4:192.0.0.0/8 -all")]
    [InlineData("v=spf1 a/12 -all")]
    public async Task A_catch_all_or_a_network_wider_than_16_bits_is_a_weak_vouch(string record)
    {
        var zone = new TestZone().Txt("example.com", record).A("example.com", "192.0.2.10");

        var vouching = await ReadAsync(zone, "a@example.com");

        Assert.Equal(VouchStrength.Weak, vouching!.Strength);
    }

    [Fact]
    public async Task An_mx_host_in_another_organisation_is_a_shared_mx_vouch()
    {
        var zone = new TestZone().Mx("example.com", 10, "mx1.hoster.net").A("mx1.hoster.net", "192.0.2.10");

        var vouching = await ReadAsync(zone, "a@example.com");

        Assert.Equal(("example.com", "hoster.net", VouchMethod.Mx, VouchStrength.Shared), (vouching!.Owner, vouching.Via, vouching.Method, vouching.Strength));
    }

    [Fact]
    public async Task The_firmer_of_two_vouches_wins()
    {
        var zone = new TestZone().Txt("example.com", "v=spf1 +all").Mx("example.com", 10, "mx.example.com").A("mx.example.com", "192.0.2.10");

        var vouching = await ReadAsync(zone, "a@example.com");

        Assert.Equal((VouchMethod.Mx, VouchStrength.Strong), (vouching!.Method, vouching.Strength));
    }

    [Fact]
    public async Task A_forged_sender_whose_domain_does_not_list_the_client_yields_no_vouching()
    {
        var zone = new TestZone().Txt("victim.com", "v=spf1 ip4:198.51.100.0/24 -all").Mx("victim.com", 10, "mx.victim.com").A("mx.victim.com", "198.51.100.1");

        Assert.Null(await ReadAsync(zone, "ceo@victim.com"));
    }

    [Fact]
    public async Task A_bounce_is_vouched_for_by_its_helo_name()
    {
        var zone = new TestZone().Txt("out.example.com", "v=spf1 ip4:192.0.2.10 -all");

        var vouching = await ReadAsync(zone, "", "out.example.com");

        Assert.Equal(("example.com", VouchMethod.Helo), (vouching!.Owner, vouching.Method));
    }

    [Theory]
    [InlineData("ip4:192.0.2.0/24", "ip4", null, 24)]
    [InlineData("-ip6:2001:db8::/32", "ip6", null, 32)]
    [InlineData("a:relay.esp.net/24", "a", "relay.esp.net", 24)]
    [InlineData("mx//64", "mx", null, null)]
    [InlineData("+all", "all", null, null)]
    [InlineData("exists:%{i}._spf.esp.net", "exists", "%{i}._spf.esp.net", null)]
    public void Terms_split_into_name_target_and_prefix(string term, string name, string? target, int? prefix) =>
        Assert.Equal((name, target, prefix), VouchingReader.SplitTerm(term));

    private static async Task<Vouching?> ReadAsync(TestZone zone, string sender, string helo = "mail.example.com")
    {
        var resolver = zone.Resolver();
        var request = CheckRequest.Create(Client, sender, helo);
        var spf = new SpfChecker(resolver);
        var mailFrom = request.Sender.IsNull
            ? await spf.CheckHeloAsync(Client, helo, CancellationToken.None)
            : await spf.CheckMailFromAsync(Client, sender, helo, CancellationToken.None);
        var registration = await new MxRegistrationCheck(resolver, TestSuffixes.List).CheckAsync(Client, request.Sender, request.Helo, () => Task.FromResult(TestEvidence.NoFcrdns), CancellationToken.None);
        return VouchingReader.Read(request, mailFrom, TestEvidence.Spf(), registration, TestEvidence.NoRmx, TestSuffixes.List);
    }
}
