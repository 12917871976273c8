using System.Net;
using Vouch.Smtp;

namespace Vouch.Tests.Smtp;

public sealed class ReversePathTests
{
    [Theory]
    [InlineData(null, ReversePathKind.Null, "", "", null)]
    [InlineData("", ReversePathKind.Null, "", "", null)]
    [InlineData("<>", ReversePathKind.Null, "", "", null)]
    [InlineData("alice@example.com", ReversePathKind.Mailbox, "alice", "example.com", "example.com")]
    [InlineData("<alice@Example.COM>", ReversePathKind.Mailbox, "alice", "Example.COM", "example.com")]
    [InlineData("first.last+tag@example.com", ReversePathKind.Mailbox, "first.last+tag", "example.com", "example.com")]
    [InlineData("\"john doe\"@example.net", ReversePathKind.Mailbox, "\"john doe\"", "example.net", "example.net")]
    [InlineData("john doe@example.net", ReversePathKind.Mailbox, "john doe", "example.net", "example.net")]
    [InlineData("Macro Error@e8.example.com", ReversePathKind.Mailbox, "Macro Error", "e8.example.com", "e8.example.com")]
    [InlineData("\"a@b\"@example.net", ReversePathKind.Mailbox, "\"a@b\"", "example.net", "example.net")]
    [InlineData("foo@[1.2.3.5]", ReversePathKind.Mailbox, "foo", "[1.2.3.5]", null)]
    [InlineData("foo@[IPv6:2001:db8::1]", ReversePathKind.Mailbox, "foo", "[IPv6:2001:db8::1]", null)]
    [InlineData("user@localhost", ReversePathKind.Mailbox, "user", "localhost", "localhost")]
    [InlineData("@example.net", ReversePathKind.Malformed, "", "example.net", "example.net")]
    [InlineData("carol", ReversePathKind.Malformed, "", "carol", "carol")]
    [InlineData("example.com", ReversePathKind.Malformed, "", "example.com", "example.com")]
    [InlineData("carol@", ReversePathKind.Malformed, "carol", "", null)]
    [InlineData("carol@my_host.example", ReversePathKind.Malformed, "carol", "my_host.example", null)]
    [InlineData("carol@[1.2.3.999]", ReversePathKind.Malformed, "carol", "[1.2.3.999]", null)]
    [InlineData("carol@exa mple.net", ReversePathKind.Malformed, "carol", "exa mple.net", null)]
    [InlineData("car\u0001ol@example.net", ReversePathKind.Malformed, "car\u0001ol", "example.net", "example.net")]
    [InlineData("jos\u00e9@example.net", ReversePathKind.Malformed, "jos\u00e9", "example.net", "example.net")]
    public void EveryTextIsReadIntoAKindAndSplitAtItsLastAt(string? text, ReversePathKind kind, string localPart, string domain, string? domainName)
    {
        var path = ReversePath.Parse(text);

        Assert.Equal((kind, localPart, domain, domainName), (path.Kind, path.LocalPart, path.Domain, path.DomainName));
        Assert.Equal(kind == ReversePathKind.Malformed, path.Problem is not null);
    }

    [Fact]
    public void AnOverlongAddressIsCutAndMalformedButItsDomainStaysWhole()
    {
        var text = new string('l', 300) + "@example.net";

        var path = ReversePath.Parse(text);

        Assert.Equal(ReversePathKind.Malformed, path.Kind);
        Assert.Equal(ReversePath.MaxLength, path.Text.Length);
        Assert.Equal("example.net", path.DomainName);
        Assert.Equal(ReversePath.MaxLength, path.LocalPart.Length);
    }

    [Fact]
    public void ALocalPartOver64CharactersIsMalformed()
    {
        Assert.Equal(ReversePathKind.Mailbox, ReversePath.Parse(new string('l', 64) + "@example.net").Kind);
        Assert.Equal(ReversePathKind.Malformed, ReversePath.Parse(new string('l', 65) + "@example.net").Kind);
    }

    [Fact]
    public void AnAddressLiteralDomainCarriesItsAddress() =>
        Assert.Equal(IPAddress.Parse("1.2.3.5"), ReversePath.Parse("foo@[1.2.3.5]").DomainLiteral);
}
