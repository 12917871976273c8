using Vouch.Registration;

namespace Vouch.Tests.Registration;

/// <summary>
/// The Public Suffix List project's own cases (tests/test_psl.txt, "checkPublicSuffix(domain, registrable)") against
/// the Debian list. Their expectations are restated for this API: where the project expects null because the domain
/// is itself a public suffix, the organisational domain is the domain itself; where it expects null because the
/// domain has a leading dot, the answer is "". Unicode answers are given in punycode. The null-input case is
/// <see cref="Null_input_is_an_argument_error"/>.
/// </summary>
public sealed class PublicSuffixListConformanceTests(DebianPublicSuffixListFixture fixture) : IClassFixture<DebianPublicSuffixListFixture>
{
    [Theory]
    // Mixed case.
    [InlineData("COM", "com", "com")]
    [InlineData("example.COM", "com", "example.com")]
    [InlineData("WwW.example.COM", "com", "example.com")]
    // Leading dot: not a domain name.
    [InlineData(".com", "", "")]
    [InlineData(".example", "", "")]
    [InlineData(".example.com", "", "")]
    [InlineData(".example.example", "", "")]
    // Unlisted TLD: the implicit "*" rule.
    [InlineData("example", "example", "example")]
    [InlineData("example.example", "example", "example.example")]
    [InlineData("b.example.example", "example", "example.example")]
    [InlineData("a.b.example.example", "example", "example.example")]
    // TLD with only one rule.
    [InlineData("biz", "biz", "biz")]
    [InlineData("domain.biz", "biz", "domain.biz")]
    [InlineData("b.domain.biz", "biz", "domain.biz")]
    [InlineData("a.b.domain.biz", "biz", "domain.biz")]
    // TLD with some two-level rules.
    [InlineData("com", "com", "com")]
    [InlineData("example.com", "com", "example.com")]
    [InlineData("b.example.com", "com", "example.com")]
    [InlineData("a.b.example.com", "com", "example.com")]
    [InlineData("uk.com", "uk.com", "uk.com")]
    [InlineData("example.uk.com", "uk.com", "example.uk.com")]
    [InlineData("b.example.uk.com", "uk.com", "example.uk.com")]
    [InlineData("a.b.example.uk.com", "uk.com", "example.uk.com")]
    [InlineData("test.ac", "ac", "test.ac")]
    // TLD with only one rule, a wildcard (*.mm).
    [InlineData("mm", "mm", "mm")]
    [InlineData("c.mm", "c.mm", "c.mm")]
    [InlineData("b.c.mm", "c.mm", "b.c.mm")]
    [InlineData("a.b.c.mm", "c.mm", "b.c.mm")]
    // More complex TLD.
    [InlineData("jp", "jp", "jp")]
    [InlineData("test.jp", "jp", "test.jp")]
    [InlineData("www.test.jp", "jp", "test.jp")]
    [InlineData("ac.jp", "ac.jp", "ac.jp")]
    [InlineData("test.ac.jp", "ac.jp", "test.ac.jp")]
    [InlineData("www.test.ac.jp", "ac.jp", "test.ac.jp")]
    [InlineData("kyoto.jp", "kyoto.jp", "kyoto.jp")]
    [InlineData("test.kyoto.jp", "kyoto.jp", "test.kyoto.jp")]
    [InlineData("ide.kyoto.jp", "ide.kyoto.jp", "ide.kyoto.jp")]
    [InlineData("b.ide.kyoto.jp", "ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("a.b.ide.kyoto.jp", "ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("c.kobe.jp", "c.kobe.jp", "c.kobe.jp")]
    [InlineData("b.c.kobe.jp", "c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("a.b.c.kobe.jp", "c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "kobe.jp", "city.kobe.jp")]
    [InlineData("www.city.kobe.jp", "kobe.jp", "city.kobe.jp")]
    // TLD with a wildcard rule and exceptions (*.ck, !www.ck).
    [InlineData("ck", "ck", "ck")]
    [InlineData("test.ck", "test.ck", "test.ck")]
    [InlineData("b.test.ck", "test.ck", "b.test.ck")]
    [InlineData("a.b.test.ck", "test.ck", "b.test.ck")]
    [InlineData("www.ck", "ck", "www.ck")]
    [InlineData("www.www.ck", "ck", "www.ck")]
    // US K12.
    [InlineData("us", "us", "us")]
    [InlineData("test.us", "us", "test.us")]
    [InlineData("www.test.us", "us", "test.us")]
    [InlineData("ak.us", "ak.us", "ak.us")]
    [InlineData("test.ak.us", "ak.us", "test.ak.us")]
    [InlineData("www.test.ak.us", "ak.us", "test.ak.us")]
    [InlineData("k12.ak.us", "k12.ak.us", "k12.ak.us")]
    [InlineData("test.k12.ak.us", "k12.ak.us", "test.k12.ak.us")]
    [InlineData("www.test.k12.ak.us", "k12.ak.us", "test.k12.ak.us")]
    // IDN labels (食狮 = xn--85x722f, 公司 = xn--55qx5d, 中国 = xn--fiqs8s).
    [InlineData("食狮.com.cn", "com.cn", "xn--85x722f.com.cn")]
    [InlineData("食狮.公司.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.食狮.公司.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.公司.cn", "xn--55qx5d.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("公司.cn", "xn--55qx5d.cn", "xn--55qx5d.cn")]
    [InlineData("食狮.中国", "xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.食狮.中国", "xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.中国", "xn--fiqs8s", "shishi.xn--fiqs8s")]
    [InlineData("中国", "xn--fiqs8s", "xn--fiqs8s")]
    // The same, punycoded.
    [InlineData("xn--85x722f.com.cn", "com.cn", "xn--85x722f.com.cn")]
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.xn--55qx5d.cn", "xn--55qx5d.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", "xn--55qx5d.cn", "xn--55qx5d.cn")]
    [InlineData("xn--85x722f.xn--fiqs8s", "xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.xn--fiqs8s", "xn--fiqs8s", "shishi.xn--fiqs8s")]
    [InlineData("xn--fiqs8s", "xn--fiqs8s", "xn--fiqs8s")]
    public void Psl_project_case(string domain, string publicSuffix, string organizationalDomain)
    {
        Assert.Equal(publicSuffix, fixture.List.GetPublicSuffix(domain));
        Assert.Equal(organizationalDomain, fixture.List.GetOrganizationalDomain(domain));
    }

    [Fact]
    public void Null_input_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => fixture.List.GetPublicSuffix(null!));
        Assert.Throws<ArgumentNullException>(() => fixture.List.GetOrganizationalDomain(null!));
    }

    [Theory]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("MX1.Example.ORG.", "example.org")]
    [InlineData("blog.someone.blogspot.com", "someone.blogspot.com")] // a PRIVATE-section rule
    public void Owner_of_a_mail_host(string domain, string owner) =>
        Assert.Equal(owner, fixture.List.GetOrganizationalDomain(domain));

    [Theory]
    [InlineData("mail.食狮.公司.cn", "mail.xn--85x722f.xn--55qx5d.cn")]
    [InlineData("MAIL.食狮.中国.", "mail.XN--85X722F.xn--fiqs8s")]
    [InlineData("smtp.bücher.de", "smtp.xn--bcher-kva.de")]
    public void Unicode_and_punycode_forms_give_the_same_punycode_answer(string unicode, string punycode)
    {
        var list = fixture.List;
        Assert.Equal(list.GetOrganizationalDomain(punycode), list.GetOrganizationalDomain(unicode));
        Assert.Equal(list.GetPublicSuffix(punycode), list.GetPublicSuffix(unicode));
        Assert.True(System.Text.Ascii.IsValid(list.GetOrganizationalDomain(unicode)));
    }

    [Fact]
    public void The_debian_list_has_both_sections()
    {
        Assert.True(fixture.List.RuleCount > 9000, $"only {fixture.List.RuleCount} rules");
        Assert.Equal("co.uk", fixture.List.GetPublicSuffix("example.co.uk"));
        Assert.Equal("blogspot.com", fixture.List.GetPublicSuffix("someone.blogspot.com"));
    }
}
