using System.Net;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;

namespace Vouch.Tests.Lists;

public sealed class LocalListsTests
{
    private static readonly LocalLists Lists = new(new ListOptions
    {
        AllowAddresses = [Prefix("192.0.2.0/24"), Prefix("2001:db8:a::/48")],
        AllowDomains = ["partner.example"],
        BlockAddresses = [Prefix("203.0.113.66/32")],
        BlockDomains = ["Spammer.Example."],
    });

    private static AddressPrefix Prefix(string text) => AddressPrefix.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    [Theory]
    [InlineData("192.0.2.200", "192.0.2.0/24")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.0/24")]
    [InlineData("2001:db8:a:1::5", "2001:db8:a::/48")]
    public void AddressesAndNetworksAreAllowed(string client, string entry)
    {
        var match = Lists.FindAllowed(IPAddress.Parse(client), []);

        Assert.Equal(("allow", entry, PolicyAction.Accept), (match!.List, match.Entry, match.Action));
    }

    [Fact]
    public void ADomainEntryCoversItsSubdomainsOnALabelBoundary()
    {
        var client = IPAddress.Parse("198.51.100.1");

        Assert.Equal("spammer.example", Lists.FindBlocked(client, ["mail.out.spammer.example"])!.Entry);
        Assert.Equal("spammer.example", Lists.FindBlocked(client, ["SPAMMER.example."])!.Entry);
        Assert.Null(Lists.FindBlocked(client, ["notspammer.example", "spammer.example.org"]));
        Assert.Equal("partner.example", Lists.FindAllowed(client, ["x.example", "smtp.partner.example"])!.Entry);
    }

    [Fact]
    public void TheBlockedAddressIsReported()
    {
        var match = Lists.FindBlocked(IPAddress.Parse("203.0.113.66"), ["innocent.example"]);

        Assert.Equal(("block", "203.0.113.66", "203.0.113.66/32", PolicyAction.Reject), (match!.List, match.Subject, match.Entry, match.Action));
        Assert.Null(Lists.FindBlocked(IPAddress.Parse("203.0.113.67"), []));
    }
}
