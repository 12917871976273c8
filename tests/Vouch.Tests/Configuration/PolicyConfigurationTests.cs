using Vouch.Policy;
using static Vouch.Tests.Configuration.ConfigurationErrorTests;

namespace Vouch.Tests.Configuration;

public sealed class PolicyConfigurationTests
{
    private const string Always = "[[policy.rules]]\nwhen = \"always\"\nverdict = \"black\"\naction = \"reject\"\ncode = \"5.7.1\"\nreason = \"{ip} is not registered\"\n";

    [Theory]
    [InlineData("softfail_action", RuleCondition.SpfSoftFail)]
    [InlineData("neutral_action", RuleCondition.SpfNeutral)]
    [InlineData("none_action", RuleCondition.SpfNone)]
    [InlineData("permerror_action", RuleCondition.SpfPermError)]
    public void ShortcutChangesOnlyItsRow(string key, RuleCondition when)
    {
        var rules = ConfigurationLoaderTests.Parse($"[policy]\n{key} = \"tag\"").Policy.Rules;

        Assert.Equal(DecisionTable.Default.Count, rules.Count);
        for (var i = 0; i < rules.Count; i++)
        {
            var expected = DecisionTable.Default[i];
            Assert.Equal(expected.When == when ? expected with { Action = PolicyAction.Tag, StatusCode = "" } : expected, rules[i]);
        }
    }

    [Fact]
    public void IdentityShortcutsAddTheirRowsAfterTheAllowListInOrder()
    {
        var rules = ConfigurationLoaderTests.Parse("""
            [policy]
            sender_malformed_action = "defer"
            helo_missing_action = "reject"
            client_unreadable_action = "reject"
            """).Policy.Rules;

        Assert.Equal(DecisionTable.Default.Count + 3, rules.Count);
        Assert.Equal(
            [RuleCondition.AllowListed, RuleCondition.ClientUnreadable, RuleCondition.HeloMissing, RuleCondition.SenderMalformed, RuleCondition.BlockListed],
            rules.Take(5).Select(r => r.When));
        Assert.Equal((PolicyAction.Defer, "4.1.7"), (rules[3].Action, rules[3].StatusCode));
        Assert.Equal((PolicyAction.Reject, "5.3.5"), (rules[1].Action, rules[1].StatusCode));
        Assert.Equal(DecisionTable.Default.Skip(1), rules.Skip(4));
    }

    [Fact]
    public void WithoutIdentityShortcutsTheDefaultTableHasNoIdentityRows() =>
        Assert.Same(DecisionTable.Default, ConfigurationLoaderTests.Parse("[policy]").Policy.Rules);

    [Fact]
    public void AnIdentityShortcutCannotBeCombinedWithRules() =>
        AssertError("[policy]\nhelo_malformed_action = \"reject\"\n" + Always, 2, "policy.helo_malformed_action", "changes a row of the default table, which [[policy.rules]] replaces; give the action in the rule instead");

    [Theory]
    [InlineData("accept", PolicyAction.Accept, "")]
    [InlineData("tag", PolicyAction.Tag, "")]
    [InlineData("defer", PolicyAction.Defer, "4.7.24")]
    [InlineData("reject", PolicyAction.Reject, "5.7.24")]
    public void ShortcutCodeFollowsTheAction(string word, PolicyAction action, string code)
    {
        var rule = Assert.Single(ConfigurationLoaderTests.Parse($"policy.permerror_action = \"{word}\"").Policy.Rules, r => r.When == RuleCondition.SpfPermError);

        Assert.Equal((Verdict.Black, action, code), (rule.Verdict, rule.Action, rule.StatusCode));
        Assert.Equal(DecisionTable.Default.Single(r => r.When == RuleCondition.SpfPermError).Reason, rule.Reason);
    }

    [Fact]
    public void CustomRulesReplaceTheDefaultTable()
    {
        var rules = ConfigurationLoaderTests.Parse("""
            [[policy.rules]]
            when = "spf_fail"
            verdict = "black"
            action = "reject"
            code = "5.7.23"
            reason = "SPF fail: {spf_explanation}"

            [[policy.rules]]
            when = "fcrdns_fail"
            verdict = "grey"
            action = "defer"
            code = "4.7.25"
            reason = "{ip} has no confirmed reverse DNS"

            [[policy.rules]]
            when = "spf_pass"
            verdict = "white"
            action = "tag"
            code = ""
            reason = "{spf_domain} authorises {ip}"

            [[policy.rules]]
            when = "always"
            verdict = "white"
            action = "accept"
            reason = "accepted"
            """).Policy.Rules;

        Assert.Equal(
            [
                new DecisionRule(RuleCondition.SpfFail, Verdict.Black, PolicyAction.Reject, "5.7.23", "SPF fail: {spf_explanation}"),
                new DecisionRule(RuleCondition.FcrdnsFail, Verdict.Grey, PolicyAction.Defer, "4.7.25", "{ip} has no confirmed reverse DNS"),
                new DecisionRule(RuleCondition.SpfPass, Verdict.White, PolicyAction.Tag, "", "{spf_domain} authorises {ip}"),
                new DecisionRule(RuleCondition.Always, Verdict.White, PolicyAction.Accept, "", "accepted"),
            ],
            rules);
    }

    [Fact]
    public void RulesMustEndWithAlways() =>
        AssertError(
            "[[policy.rules]]\nwhen = \"spf_pass\"\nverdict = \"white\"\naction = \"accept\"\nreason = \"ok\"\n\n[[policy.rules]]\nwhen = \"spf_fail\"\nverdict = \"black\"\naction = \"reject\"\ncode = \"5.7.23\"\nreason = \"no\"\n",
            8,
            "policy.rules[2].when",
            "the last rule must be 'always' so every request gets a verdict");

    [Fact]
    public void EmptyRuleListIsAnError() =>
        AssertError("[policy]\nrules = []", 2, "policy.rules", "has no rules; the last rule must be 'always' so every request gets a verdict");

    [Fact]
    public void RuleAfterAlwaysIsAnError() =>
        AssertError(
            Always + "\n[[policy.rules]]\nwhen = \"spf_pass\"\nverdict = \"white\"\naction = \"accept\"\nreason = \"ok\"\n",
            9,
            "policy.rules[2].when",
            "can never apply: the rule before it is 'always'; 'always' must be the last rule");

    [Theory]
    [InlineData("defer", "\"5.7.1\"", "'5.7.1' is of class 5, but defer needs class 4 (4.x.x), such as 4.7.1")]
    [InlineData("reject", "\"4.7.1\"", "'4.7.1' is of class 4, but reject needs class 5 (5.x.x), such as 5.7.1")]
    [InlineData("reject", "\"2.0.0\"", "'2.0.0' is of class 2, but reject needs class 5 (5.x.x), such as 5.7.1")]
    [InlineData("accept", "\"2.0.0\"", "'2.0.0' is given, but accept sends no status code; remove it (codes are for defer and reject)")]
    [InlineData("tag", "\"5.7.1\"", "'5.7.1' is given, but tag sends no status code; remove it (codes are for defer and reject)")]
    [InlineData("reject", "\"5.7\"", "'5.7' is not an RFC 3463 enhanced status code; expected class.subject.detail such as 5.7.1")]
    [InlineData("reject", "\"5.7.1234\"", "'5.7.1234' is not an RFC 3463 enhanced status code; expected class.subject.detail such as 5.7.1")]
    [InlineData("reject", "\"550\"", "'550' is not an RFC 3463 enhanced status code; expected class.subject.detail such as 5.7.1")]
    [InlineData("defer", "\"3.7.1\"", "'3.7.1' is not an RFC 3463 enhanced status code; expected class.subject.detail such as 4.7.1")]
    [InlineData("defer", "\"\"", "is required for defer; expected an RFC 3463 code such as 4.7.1")]
    public void StatusCodeMustSuitTheAction(string action, string code, string problem) =>
        AssertError(
            $"[[policy.rules]]\nwhen = \"always\"\nverdict = \"black\"\naction = \"{action}\"\ncode = {code}\nreason = \"x\"",
            5,
            "policy.rules[1].code",
            problem);

    [Fact]
    public void MissingCodeForRejectNamesTheRule() =>
        AssertError(
            "[[policy.rules]]\nwhen = \"always\"\nverdict = \"black\"\naction = \"reject\"\nreason = \"x\"",
            1,
            "policy.rules[1].code",
            "is required for reject; expected an RFC 3463 code such as 5.7.1");

    [Fact]
    public void RuleNeedsAReason() =>
        AssertError(
            "[[policy.rules]]\nwhen = \"always\"\nverdict = \"black\"\naction = \"reject\"\ncode = \"5.7.1\"",
            1,
            "policy.rules[1].reason",
            "is required; expected the text given to the client and logged");

    [Theory]
    [InlineData("{ipaddress} is not registered", "has the unknown placeholder {ipaddress}; expected placeholders are {ip}, {helo}")]
    [InlineData("{ip is not registered", "has a '{' without '}'; expected placeholders are {ip}, {helo}")]
    public void ReasonPlaceholdersMustBeKnown(string reason, string problem)
    {
        var error = Fails($"[[policy.rules]]\nwhen = \"always\"\nverdict = \"black\"\naction = \"reject\"\ncode = \"5.7.1\"\nreason = \"{reason}\"");

        Assert.Equal((6, "policy.rules[1].reason"), (error.Line, error.Key));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortcutsAndCustomRulesTogetherAreAnError() =>
        AssertError(
            "[policy]\nsoftfail_action = \"defer\"\n\n" + Always,
            2,
            "policy.softfail_action",
            "changes a row of the default table, which [[policy.rules]] replaces; give the action in the rule instead");

    [Fact]
    public void UnknownKeyInARule()
    {
        var error = Fails(Always.Replace("reason =", "reasons =", StringComparison.Ordinal));

        Assert.Equal((6, "policy.rules[1].reasons"), (error.Line, error.Key));
        Assert.Equal("unknown key (did you mean 'reason'?); expected one of when, verdict, action, code, reason", error.Problem);
    }
}
