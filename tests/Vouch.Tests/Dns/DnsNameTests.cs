using Vouch.Dns;

namespace Vouch.Tests.Dns;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("Example.ORG", "example.org")]
    [InlineData("example.org.", "example.org")]
    [InlineData("localhost", "localhost")]
    [InlineData("_dmarc.example.org", "_dmarc.example.org")]
    public void ANameWithinTheDnsBoundsIsReadInLowerCaseWithoutItsTrailingDot(string text, string expected)
    {
        Assert.True(DnsName.TryParse(text, out var name, out var problem), problem);
        Assert.Equal((expected, ""), (name, problem));
    }

    [Theory]
    [InlineData("", "is empty; expected a domain name such as example.org")]
    [InlineData(".", "is empty; expected a domain name such as example.org")]
    [InlineData("a..example", "'a..example' has an empty label (two dots in a row, or a leading dot)")]
    [InlineData(".example", "'.example' has an empty label (two dots in a row, or a leading dot)")]
    [InlineData("example..", "'example..' has an empty label (two dots in a row, or a leading dot)")]
    public void AnEmptyNameOrLabelIsNoName(string text, string expected)
    {
        Assert.False(DnsName.TryParse(text, out var name, out var problem));
        Assert.Equal(("", expected), (name, problem));
    }

    [Fact]
    public void TheLengthsAreRfc1035s()
    {
        var label = new string('a', DnsName.MaxLabelLength);
        var longest = string.Join('.', label, label, label, new string('b', 61));

        Assert.True(DnsName.TryParse(longest + ".", out _, out _));
        Assert.False(DnsName.TryParse(label + "a.example", out _, out var longLabel));
        Assert.False(DnsName.TryParse(longest + "b", out _, out var longName));
        Assert.Equal($"'{label}a.example' has a label of 64 characters; a label has at most 63", longLabel);
        Assert.Equal($"'{longest}b' is 254 characters long; a domain name has at most 253", longName);
        Assert.Equal(253, longest.Length);
    }

    [Fact]
    public void TheOtherChecksShareTheBounds()
    {
        Assert.True(DnsName.IsValidMultiLabel("a.example"));
        Assert.False(DnsName.IsValidMultiLabel("example"));
        Assert.True(DnsName.IsQueryable("example"));
        Assert.False(DnsName.IsQueryable(new string('a', 64)));
    }
}
