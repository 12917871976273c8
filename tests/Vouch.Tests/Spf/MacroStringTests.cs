using System.Net;
using Vouch.Spf;

namespace Vouch.Tests.Spf;

public sealed class MacroStringTests
{
    private static readonly MacroContext Ipv4Context = new(
        "strong-bad@email.example.com", "strong-bad", "email.example.com", "email.example.com",
        IPAddress.Parse("192.0.2.3"), "mx.example.org", "mx.example.org", "mx.receiver.example", 1_700_000_000);

    // RFC 7208 §7.4's examples.
    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{p}", "mx.example.org")]
    [InlineData("%%%_%-", "% %20")]
    public void ExpandsAsRfc7208Section74Shows(string text, string expected)
    {
        Assert.True(MacroString.TryParse(text, 1, isExplanation: false, out var macro, out var error), error?.ToString());
        Assert.Equal(expected, macro!.Expand(Ipv4Context));
    }

    [Fact]
    public void ExpandsIpv6AsDottedNibbles()
    {
        var context = Ipv4Context with { Address = IPAddress.Parse("2001:db8::cb01") };
        Assert.True(MacroString.TryParse("%{ir}.%{v}._spf.%{d2}", 1, false, out var macro, out _));
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", macro!.Expand(context));
    }

    [Fact]
    public void ExplanationLettersExpandOnlyInExplanations()
    {
        Assert.False(MacroString.TryParse("%{c} %{r} %{t}", 1, isExplanation: false, out _, out _));
        Assert.True(MacroString.TryParse("%{c} via %{r} at %{t}", 1, isExplanation: true, out var macro, out _));
        Assert.Equal("192.0.2.3 via mx.receiver.example at 1700000000", macro!.Expand(Ipv4Context));
    }

    [Fact]
    public void UpperCaseLettersAreUrlEscaped()
    {
        var context = Ipv4Context with { LocalPart = "~jack&jill=up-a_b3.c" };
        Assert.True(MacroString.TryParse("http://example.com/why.html?l=%{L}", 1, isExplanation: true, out var macro, out _));
        Assert.Equal("http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c", macro!.Expand(context));
    }

    [Theory]
    [InlineData("%{d}", null)]
    [InlineData("example.com", null)]
    [InlineData("example.com.", null)]
    [InlineData("%{d}.example", null)]
    [InlineData("museum", "no top label")]
    [InlineData("example.123", "not a valid top label")]
    [InlineData("example.-com", "not a valid top label")]
    public void ChecksTheDomainEnd(string text, string? problem)
    {
        Assert.True(MacroString.TryParse(text, 1, false, out var macro, out _));
        var found = macro!.CheckDomainEnd();
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }
}
