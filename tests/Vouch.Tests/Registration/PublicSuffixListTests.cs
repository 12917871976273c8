using Vouch.Registration;

namespace Vouch.Tests.Registration;

/// <summary>The list's algorithm on small lists written inline: each rule kind, the sections, IDNs, odd input.</summary>
public sealed class PublicSuffixListTests
{
    private static readonly PublicSuffixList Sample = PublicSuffixList.Parse("""
        // ===BEGIN ICANN DOMAINS===
        com
        uk
        co.uk
        // Wildcard with exceptions.
        *.ck
        !www.ck
        jp
        *.kobe.jp
        !city.kobe.jp
        // IDN rules are written in Unicode.
        cn
        公司.cn
        中国
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        blogspot.com
        *.compute.example.com
        // ===END PRIVATE DOMAINS===
        """);

    [Theory]
    [InlineData("example.com", "com", "example.com")]
    [InlineData("mail.example.co.uk", "co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk", "co.uk")]
    [InlineData("example.uk", "uk", "example.uk")]
    public void Normal_rules_the_longest_match_prevails(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Theory]
    [InlineData("example", "example", "example")]
    [InlineData("a.b.example.unlisted", "unlisted", "example.unlisted")]
    public void An_unlisted_top_level_domain_is_a_public_suffix_of_one_label(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Theory]
    [InlineData("ck", "ck", "ck")]
    [InlineData("test.ck", "test.ck", "test.ck")]
    [InlineData("a.b.test.ck", "test.ck", "b.test.ck")]
    [InlineData("c.kobe.jp", "c.kobe.jp", "c.kobe.jp")]
    [InlineData("mail.b.c.kobe.jp", "c.kobe.jp", "b.c.kobe.jp")]
    public void Wildcard_rules_make_every_child_a_public_suffix(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Theory]
    [InlineData("www.ck", "ck", "www.ck")]
    [InlineData("mail.www.ck", "ck", "www.ck")]
    [InlineData("city.kobe.jp", "kobe.jp", "city.kobe.jp")]
    [InlineData("www.city.kobe.jp", "kobe.jp", "city.kobe.jp")]
    public void Exception_rules_lift_a_name_out_of_a_wildcard(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Fact]
    public void An_exception_prevails_over_a_longer_rule()
    {
        // Algorithm step 3: a matching exception rule prevails whatever its length.
        var list = PublicSuffixList.Parse("b\n*.a.b\n!c.a.b\nx.c.a.b\n");

        AssertAnswers(list, "y.x.c.a.b", "a.b", "c.a.b");
    }

    [Fact]
    public void An_exception_without_a_wildcard_still_prevails()
    {
        var list = PublicSuffixList.Parse("a.b\n!c.a.b\n");

        AssertAnswers(list, "d.c.a.b", "a.b", "c.a.b");
    }

    [Theory]
    [InlineData("blogspot.com", "blogspot.com", "blogspot.com")]
    [InlineData("www.someone.blogspot.com", "blogspot.com", "someone.blogspot.com")]
    [InlineData("host.eu-1.compute.example.com", "eu-1.compute.example.com", "host.eu-1.compute.example.com")]
    public void Private_section_rules_count_like_icann_rules(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Theory]
    [InlineData("compute.example.com", "com", "example.com")]
    [InlineData("example.com", "com", "example.com")]
    public void A_wildcard_does_not_make_the_name_it_is_under_a_suffix(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Theory]
    [InlineData("食狮.公司.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("WWW.XN--85X722F.XN--55QX5D.CN", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.食狮.xn--55qx5d.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("食狮。公司。cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("食狮.中国", "xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("公司.cn", "xn--55qx5d.cn", "xn--55qx5d.cn")]
    public void Unicode_rules_match_unicode_and_punycode_input_and_answer_in_punycode(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Fact]
    public void Punycode_rules_match_unicode_input()
    {
        var list = PublicSuffixList.Parse("cn\nxn--55qx5d.cn\n");

        AssertAnswers(list, "www.食狮.公司.cn", "xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn");
    }

    [Fact]
    public void Unicode_letters_are_matched_without_case()
    {
        var list = PublicSuffixList.Parse("de\nbücher.de\n");

        AssertAnswers(list, "www.BÜCHER.DE", "xn--bcher-kva.de", "www.xn--bcher-kva.de");
        Assert.Equal(list.GetOrganizationalDomain("mail.ÄÖ.de"), list.GetOrganizationalDomain("mail.äö.de"));
    }

    [Theory]
    [InlineData("Mail.Example.CO.UK", "co.uk", "example.co.uk")]
    [InlineData("mail.example.co.uk.", "co.uk", "example.co.uk")]
    [InlineData("COM.", "com", "com")]
    [InlineData("", "", "")]
    [InlineData(".", "", "")]
    [InlineData(".example.com", "", "")]
    [InlineData("mail..example.com", "", "")]
    [InlineData("example.com..", "", "")]
    [InlineData("..", "", "")]
    public void Case_trailing_dot_and_empty_labels(string domain, string suffix, string owner) =>
        AssertAnswers(Sample, domain, suffix, owner);

    [Theory]
    [InlineData("\ud800.example.com")] // a lone surrogate
    [InlineData("a\u0000b.example.com")] // a control character
    [InlineData("xn--.example.com")]
    [InlineData("xn--zz.example.com")]
    [InlineData("-bad-.example.com")]
    [InlineData("under_score.example.com")]
    public void Labels_that_are_not_valid_idn_do_not_throw(string domain) =>
        AssertAnswers(Sample, domain, "com", "example.com");

    [Fact]
    public void A_label_idn_rejects_is_kept_lower_cased()
    {
        var tooLong = new string('Ä', 70);

        Assert.Equal(new string('ä', 70) + ".com", Sample.GetOrganizationalDomain($"mail.{tooLong}.com"));
        Assert.Equal("\ud800x.com", Sample.GetOrganizationalDomain("\ud800X.COM"));
    }

    [Fact]
    public void A_long_name_is_answered()
    {
        var name = string.Concat(Enumerable.Repeat("a.", 5000)) + "example.co.uk";

        AssertAnswers(Sample, name, "co.uk", "example.co.uk");
    }

    [Fact]
    public void Wildcards_below_the_leftmost_label_match_whole_labels()
    {
        // The list format allows them ("*.*.foo is a valid rule"); the list itself has none.
        var list = PublicSuffixList.Parse("foo\n*.*.foo\n!keep.*.foo\nbar.*.baz\n");

        AssertAnswers(list, "x.y.z.foo", "y.z.foo", "x.y.z.foo");
        AssertAnswers(list, "w.x.y.z.foo", "y.z.foo", "x.y.z.foo");
        AssertAnswers(list, "z.foo", "foo", "z.foo");
        AssertAnswers(list, "www.keep.z.foo", "z.foo", "keep.z.foo");
        AssertAnswers(list, "mail.bar.any.baz", "bar.any.baz", "mail.bar.any.baz");
        AssertAnswers(list, "mail.other.any.baz", "baz", "any.baz");
    }

    [Fact]
    public void Parse_reads_up_to_whitespace_and_skips_comments()
    {
        var list = PublicSuffixList.Parse("// comment\r\n\r\n  com  trailing words\r\n\tco.uk\r\n.net\n!www.ck // exception\n*.ck\n");

        Assert.Equal(5, list.RuleCount);
        AssertAnswers(list, "www.example.co.uk", "co.uk", "example.co.uk");
        AssertAnswers(list, "www.example.net", "net", "example.net");
        AssertAnswers(list, "x.www.ck", "ck", "www.ck");
    }

    [Fact]
    public void Text_without_rules_leaves_only_the_implicit_rule()
    {
        var list = PublicSuffixList.Parse("// nothing but comments\n\n");

        Assert.Equal(0, list.RuleCount);
        AssertAnswers(list, "mail.example.co.uk", "uk", "co.uk");
    }

    [Fact]
    public void The_explicit_star_rule_is_the_implicit_rule()
    {
        var list = PublicSuffixList.Parse("*\n");

        Assert.Equal(1, list.RuleCount);
        AssertAnswers(list, "mail.example.com", "com", "example.com");
    }

    [Theory]
    [InlineData("com\nexample..com\n", "line 2: rule 'example..com' has an empty label")]
    [InlineData("!\n", "line 1: rule '!' has an empty label")]
    [InlineData("com\n\n*bar.com\n", "line 3: rule '*bar.com' has '*' inside a label; a wildcard must be a whole label")]
    public void Parse_rejects_malformed_rules_naming_the_line(string text, string message)
    {
        var exception = Assert.Throws<FormatException>(() => PublicSuffixList.Parse(text));

        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Null_text_is_an_argument_error() =>
        Assert.Throws<ArgumentNullException>(() => PublicSuffixList.Parse(null!));

    private static void AssertAnswers(PublicSuffixList list, string domain, string suffix, string owner)
    {
        Assert.Equal(suffix, list.GetPublicSuffix(domain));
        Assert.Equal(owner, list.GetOrganizationalDomain(domain));
    }

    [Theory]
    [InlineData("mail.example.co.uk", "co.uk")]
    [InlineData("example", "example")]
    [InlineData("a.b", "a.b")]
    public void WithoutAListTheOrganisationIsTheLastTwoLabels(string domain, string owner)
    {
        Assert.Equal(owner, PublicSuffixList.OrganizationalDomainOrLastTwoLabels(null, domain));
    }

    [Fact]
    public void WithAListTheOrganisationIsTheListsAnswer()
    {
        Assert.Equal(
            Sample.GetOrganizationalDomain("mail.example.co.uk"),
            PublicSuffixList.OrganizationalDomainOrLastTwoLabels(Sample, "mail.example.co.uk"));
    }
}
