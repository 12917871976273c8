using Vouch.Network;

namespace Vouch.Tests.Network;

public sealed class AddressPrefixTests
{
    [Theory]
    [InlineData("192.0.2.77/24", "192.0.2.77/24")]
    [InlineData("192.0.2.1", "192.0.2.1/32")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("::1", "::1/128")]
    public void ReadsANetworkOrOneAddress(string text, string expected)
    {
        Assert.True(AddressPrefix.TryParse(text, out var prefix, out var problem), problem);
        Assert.Equal((expected, ""), (prefix.ToString(), problem));
    }

    [Theory]
    [InlineData("192.0.2.0/33", "'192.0.2.0/33' has a bad prefix length; expected /0 to /32 for an IPv4 network")]
    [InlineData("2001:db8::/129", "'2001:db8::/129' has a bad prefix length; expected /0 to /128 for an IPv6 network")]
    [InlineData("192.0.2.0/", "'192.0.2.0/' has a bad prefix length; expected /0 to /32 for an IPv4 network")]
    [InlineData("192.0.2.0/+8", "'192.0.2.0/+8' has a bad prefix length; expected /0 to /32 for an IPv4 network")]
    [InlineData("0x7f.0.0.1/8", "'0x7f.0.0.1/8' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)")]
    [InlineData("", "'' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)")]
    public void SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(AddressPrefix.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
        Assert.False(AddressPrefix.TryParse(text, out _));
    }

    [Fact]
    public void NoTextIsNoNetwork() => Assert.False(AddressPrefix.TryParse(null, out _));
}
