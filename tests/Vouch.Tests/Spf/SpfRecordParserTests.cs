using System.Net;
using Vouch.Spf;

namespace Vouch.Tests.Spf;

public sealed class SpfRecordParserTests
{
    [Fact]
    public void ParsesEveryMechanismAndModifier()
    {
        const string text = "v=spf1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx mx:example.net/28 ptr ptr:example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}._spf.example.com redirect=_spf.example.net exp=why.example.com x-custom=hello";
        Assert.True(SpfRecord.TryParse(text, out var record, out var error), error?.ToString());

        Assert.Collection(record!.Directives,
            d => Assert.Equal((SpfQualifier.Pass, "all"), (d.Qualifier, d.Mechanism.Name)),
            d => Assert.Equal((SpfQualifier.Fail, "_spf.example.com"), (d.Qualifier, ((IncludeMechanism)d.Mechanism).Domain.Text)),
            d => Assert.Equal((SpfQualifier.SoftFail, null, 32, 128), (d.Qualifier, ((AMechanism)d.Mechanism).Domain?.Text, ((AMechanism)d.Mechanism).Ip4PrefixLength, ((AMechanism)d.Mechanism).Ip6PrefixLength)),
            d => Assert.Equal((SpfQualifier.Neutral, "mail.example.com", 24, 64), (d.Qualifier, ((AMechanism)d.Mechanism).Domain?.Text, ((AMechanism)d.Mechanism).Ip4PrefixLength, ((AMechanism)d.Mechanism).Ip6PrefixLength)),
            d => Assert.Null(((MxMechanism)d.Mechanism).Domain),
            d => Assert.Equal(("example.net", 28), (((MxMechanism)d.Mechanism).Domain!.Text, ((MxMechanism)d.Mechanism).Ip4PrefixLength)),
            d => Assert.Null(((PtrMechanism)d.Mechanism).Domain),
            d => Assert.Equal("example.org", ((PtrMechanism)d.Mechanism).Domain!.Text),
            d => Assert.Equal("192.0.2.0/24", ((Ip4Mechanism)d.Mechanism).Network.ToString()),
            d => Assert.Equal("2001:db8::/32", ((Ip6Mechanism)d.Mechanism).Network.ToString()),
            d => Assert.True(((ExistsMechanism)d.Mechanism).Domain.HasMacros));
        Assert.Equal("_spf.example.net", record.Redirect!.Value.Text);
        Assert.Equal("why.example.com", record.Explanation!.Value.Text);
        Assert.Equal(3, record.Modifiers.Count);
        Assert.True(record.HasAll);
    }

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("V=SPF1 -all", true)]
    [InlineData("v=spf1 ", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1-all", false)]
    [InlineData("spf2.0/pra -all", false)]
    [InlineData("", false)]
    public void RecognisesTheVersionTag(string text, bool expected) => Assert.Equal(expected, SpfRecord.HasSpfVersion(text));

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.1/33", 21, "ip4 prefix length '/33'")]
    [InlineData("v=spf1 ip4:192.0.2.1/032", 21, "ip4 prefix length '/032'")]
    [InlineData("v=spf1 ip4:192.0.2.300", 12, "'192.0.2.300' is not an IPv4 address")]
    [InlineData("v=spf1 ip4:192.0.2", 12, "is not an IPv4 address")]
    [InlineData("v=spf1 ip6:2001:db8::/129", 22, "ip6 prefix length '/129'")]
    [InlineData("v=spf1 ip6:192.0.2.1", 12, "is not an IPv6 address")]
    [InlineData("v=spf1 include", 15, "'include' without a domain")]
    [InlineData("v=spf1 include:", 16, "empty domain")]
    [InlineData("v=spf1 a:museum", 10, "no top label")]
    [InlineData("v=spf1 a:abc.123", 10, "'123' is not a valid top label")]
    [InlineData("v=spf1 foo:bar", 8, "unknown mechanism 'foo'")]
    [InlineData("v=spf1 -all redirect=a.example.com redirect=b.example.com", 36, "second 'redirect'")]
    [InlineData("v=spf1 exp=a.example.com exp=b.example.com", 26, "second 'exp'")]
    [InlineData("v=spf1 exists:%{x}.example.com", 17, "unknown macro letter 'x'")]
    [InlineData("v=spf1 exists:%{c}.example.com", 17, "allowed only in explanations")]
    [InlineData("v=spf1 exists:%{l0}.example.com", 18, "macro transformer 0")]
    [InlineData("v=spf1 exists:%{l.example.com", 15, "without a closing '}'")]
    [InlineData("v=spf1 a:ctrl.example.com\rptr", 26, "character U+000D")]
    [InlineData("v=spf1 all:foo", 11, "after 'all'")]
    [InlineData("v=spf1 ip4:192.0.2.1%", 12, "is not an IPv4 address")]
    [InlineData("v=spf1 a:example.com%", 21, "'%' at the end")]
    [InlineData("v=spf1 a:%x.example.com", 10, "'%x' is not a macro")]
    public void ReportsWhereAndWhatWasExpected(string text, int column, string message)
    {
        Assert.False(SpfRecord.TryParse(text, out var record, out var error));
        Assert.Null(record);
        Assert.Equal(column, error!.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=spf1 a:foo:bar/baz.example.com")]
    [InlineData("v=spf1 a:e.b-c")]
    [InlineData("v=spf1 a:example.com.")]
    [InlineData("v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d}")]
    [InlineData("v=spf1 a  -all  ")]
    [InlineData("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all")]
    [InlineData("v=spf1 ip4:0.0.0.0/0 ip6:::/0")]
    public void AcceptsValidEdgeCases(string text) =>
        Assert.True(SpfRecord.TryParse(text, out _, out var error), error?.ToString());

    [Fact]
    public void RecordsAreImmutableAndReusable()
    {
        Assert.True(SpfRecord.TryParse("v=spf1 ip4:192.0.2.0/24 -all", out var record, out _));
        var network = ((Ip4Mechanism)record!.Directives[0].Mechanism).Network;
        Assert.True(network.Contains(IPAddress.Parse("192.0.2.200")));
        Assert.False(network.Contains(IPAddress.Parse("192.0.3.1")));
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 -all", record.ToString());
    }
}
