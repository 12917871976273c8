using System.Net;
using Vouch.Smtp;

namespace Vouch.Tests.Smtp;

public sealed class HeloNameTests
{
    [Theory]
    [InlineData("mail.example.com", HeloNameKind.Domain, "mail.example.com")]
    [InlineData("Mail.EXAMPLE.com", HeloNameKind.Domain, "mail.example.com")]
    [InlineData("3com.example", HeloNameKind.Domain, "3com.example")]
    [InlineData("OEMCOMPUTER", HeloNameKind.Domain, null)]
    [InlineData("[192.0.2.1]", HeloNameKind.AddressLiteral, null)]
    [InlineData("[IPv6:2001:db8::1]", HeloNameKind.AddressLiteral, null)]
    [InlineData("[ipv6:2001:DB8::1]", HeloNameKind.AddressLiteral, null)]
    [InlineData("[x400:c=us;a=;p=x]", HeloNameKind.AddressLiteral, null)]
    [InlineData(null, HeloNameKind.Missing, null)]
    [InlineData("", HeloNameKind.Missing, null)]
    [InlineData("my mail server", HeloNameKind.Malformed, null)]
    [InlineData("mail\texample.com", HeloNameKind.Malformed, null)]
    [InlineData("192.0.2.1", HeloNameKind.Malformed, null)]
    [InlineData("2001:db8::1", HeloNameKind.Malformed, null)]
    [InlineData("[192.0.2.300]", HeloNameKind.Malformed, null)]
    [InlineData("[192.0.2.1", HeloNameKind.Malformed, null)]
    [InlineData("my_pc.example.com", HeloNameKind.Malformed, null)]
    [InlineData("mail.example.com.", HeloNameKind.Malformed, null)]
    [InlineData("-mail.example.com", HeloNameKind.Malformed, null)]
    [InlineData("mail-.example.com", HeloNameKind.Malformed, null)]
    [InlineData("mail..example.com", HeloNameKind.Malformed, null)]
    [InlineData("m\u00e4il.example.com", HeloNameKind.Malformed, null)]
    [InlineData("JUMPIN' JUPITER", HeloNameKind.Malformed, null)]
    public void EveryTextIsReadIntoAKind(string? text, HeloNameKind kind, string? domainName)
    {
        var helo = HeloName.Parse(text);

        Assert.Equal((kind, domainName), (helo.Kind, helo.DomainName));
        Assert.Equal(kind is HeloNameKind.Missing or HeloNameKind.Malformed, helo.Problem is not null);
        Assert.Equal(text ?? "", helo.Text);
    }

    [Fact]
    public void AnAddressLiteralCarriesItsAddress()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.1"), HeloName.Parse("[192.0.2.001]").Address);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), HeloName.Parse("[IPv6:2001:db8::1]").Address);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), HeloName.Parse("[IPv6:::ffff:192.0.2.1]").Address);
        Assert.Null(HeloName.Parse("[x400:c=us]").Address);
    }

    [Fact]
    public void AnOverlongNameIsCutAndMalformedNeverRefused()
    {
        var text = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));

        var helo = HeloName.Parse(text);

        Assert.Equal(HeloNameKind.Malformed, helo.Kind);
        Assert.Equal(HeloName.MaxLength, helo.Text.Length);
        Assert.Contains("304 characters", helo.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ALabelOf64CharactersIsMalformed()
    {
        Assert.Equal(HeloNameKind.Domain, HeloName.Parse(new string('a', 63) + ".example").Kind);
        Assert.Equal(HeloNameKind.Malformed, HeloName.Parse(new string('a', 64) + ".example").Kind);
    }
}
