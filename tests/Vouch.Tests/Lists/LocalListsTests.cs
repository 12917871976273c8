using System.Net;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;

namespace Vouch.Tests.Lists;

public sealed class LocalListsTests
{
    private static readonly LocalLists Lists = new(new ListOptions
    {
        AllowAddresses = [Prefix("192.0.2.25"), Prefix("2001:db8:600d::/48")],
        AllowDomains = ["Partner.Example.", "trusted.example"],
        BlockAddresses = [Prefix("203.0.113.0/24"), Prefix("2001:db8:bad::/48"), Prefix("::ffff:198.51.100.0/120")],
        BlockDomains = ["spammer.example", "", "bulk.example."],
    });

    private static AddressPrefix Prefix(string text)
    {
        Assert.True(AddressPrefix.TryParse(text, out var prefix), text);
        return prefix;
    }

    [Fact]
    public void An_allowed_address_matches_with_accept()
    {
        var match = Lists.FindAllowed(IPAddress.Parse("192.0.2.25"), []);

        Assert.Equal(new ListMatch("allow", "192.0.2.25", "192.0.2.25/32"), match);
        Assert.Null(Lists.FindAllowed(IPAddress.Parse("192.0.2.26"), []));
        Assert.Null(Lists.FindBlocked(IPAddress.Parse("192.0.2.25"), []));
    }

    [Theory]
    [InlineData("203.0.113.0")]
    [InlineData("203.0.113.77")]
    [InlineData("203.0.113.255")]
    public void An_ipv4_network_blocks_every_address_in_it(string client)
    {
        var match = Lists.FindBlocked(IPAddress.Parse(client), []);

        Assert.Equal(new ListMatch("block", client, "203.0.113.0/24"), match);
    }

    [Theory]
    [InlineData("203.0.112.255")]
    [InlineData("203.0.114.0")]
    [InlineData("2001:db8:bae::1")]
    public void Addresses_outside_the_networks_are_not_blocked(string client) =>
        Assert.Null(Lists.FindBlocked(IPAddress.Parse(client), []));

    [Fact]
    public void An_ipv6_network_blocks_and_allows()
    {
        var blocked = Lists.FindBlocked(IPAddress.Parse("2001:db8:bad:1::25"), []);
        var allowed = Lists.FindAllowed(IPAddress.Parse("2001:DB8:600D:ffff::1"), []);

        Assert.Equal(new ListMatch("block", "2001:db8:bad:1::25", "2001:db8:bad::/48"), blocked);
        Assert.Equal("2001:db8:600d::/48", allowed?.Entry);
    }

    [Fact]
    public void An_ipv4_mapped_client_is_matched_as_ipv4()
    {
        var match = Lists.FindBlocked(IPAddress.Parse("::ffff:203.0.113.77"), []);

        Assert.Equal(new ListMatch("block", "203.0.113.77", "203.0.113.0/24"), match);
    }

    [Fact]
    public void An_ipv4_mapped_entry_matches_ipv4_clients()
    {
        var match = Lists.FindBlocked(IPAddress.Parse("198.51.100.9"), []);

        Assert.Equal(new ListMatch("block", "198.51.100.9", "::ffff:198.51.100.0/120"), match);
    }

    [Theory]
    [InlineData("spammer.example", "spammer.example")]
    [InlineData("SPAMMER.Example.", "spammer.example")]
    [InlineData("mail.spammer.example", "mail.spammer.example")]
    [InlineData("a.b.c.Spammer.example", "a.b.c.spammer.example")]
    [InlineData("out.bulk.example", "out.bulk.example")]
    public void A_domain_entry_covers_itself_and_its_subdomains(string domain, string subject)
    {
        var match = Lists.FindBlocked(IPAddress.Parse("192.0.2.1"), [domain]);

        Assert.NotNull(match);
        Assert.Equal("block", match.List);
        Assert.Equal(subject, match.Subject);
        Assert.True(DnsName.IsSubdomainOrSelf(subject, match.Entry));
    }

    [Theory]
    [InlineData("notspammer.example")]
    [InlineData("spammer.example.net")]
    [InlineData("example")]
    [InlineData("ammer.example")]
    [InlineData("spammer-example")]
    public void A_suffix_without_a_dot_boundary_does_not_match(string domain) =>
        Assert.Null(Lists.FindBlocked(IPAddress.Parse("192.0.2.1"), [domain]));

    [Fact]
    public void Configured_entries_are_compared_without_case_or_trailing_dot()
    {
        var match = Lists.FindAllowed(IPAddress.Parse("198.51.100.1"), ["mx1.partner.example"]);

        Assert.Equal(new ListMatch("allow", "mx1.partner.example", "partner.example"), match);
    }

    [Fact]
    public void The_address_is_checked_before_the_domains_and_the_domains_in_the_order_given()
    {
        var byAddress = Lists.FindBlocked(IPAddress.Parse("203.0.113.5"), ["spammer.example"]);
        var byDomain = Lists.FindBlocked(IPAddress.Parse("192.0.2.1"), ["good.example", "x.bulk.example", "spammer.example"]);

        Assert.Equal("203.0.113.0/24", byAddress?.Entry);
        Assert.Equal(new ListMatch("block", "x.bulk.example", "bulk.example"), byDomain);
    }

    [Fact]
    public void Empty_entries_and_empty_subjects_match_nothing()
    {
        string[] subjects = ["", null!, ".", "good.example"];

        Assert.Null(Lists.FindBlocked(IPAddress.Parse("192.0.2.1"), subjects));
    }

    [Fact]
    public void Empty_lists_match_nothing()
    {
        var empty = new LocalLists(new ListOptions());

        Assert.Null(empty.FindAllowed(IPAddress.Parse("192.0.2.25"), ["partner.example"]));
        Assert.Null(empty.FindBlocked(IPAddress.Parse("203.0.113.1"), ["spammer.example"]));
    }

    [Theory]
    [InlineData("a.example", "a.example")]
    [InlineData("b.a.example", "a.example")]
    [InlineData("ba.example", "a.example")]
    [InlineData("a.example", "b.a.example")]
    [InlineData("x.y.z", "z")]
    [InlineData("xz", "z")]
    public void Domain_matching_agrees_with_IsSubdomainOrSelf(string subject, string entry)
    {
        var lists = new LocalLists(new ListOptions { BlockDomains = [entry] });

        var matched = lists.FindBlocked(IPAddress.Parse("192.0.2.1"), [subject]) is not null;

        Assert.Equal(DnsName.IsSubdomainOrSelf(subject, entry), matched);
    }
}
