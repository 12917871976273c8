using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Reputation;

/// <summary>The reputation rows of the decision table on evidence built by hand, with the state map fed directly.</summary>
public sealed class ReputationRowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private readonly FakeTimeProvider clock = new(Now);
    private readonly ReputationStateMap map;

    public ReputationRowTests()
    {
        map = new ReputationStateMap(ReputationOptions.Default with { Enabled = true }, TestSuffixes.List, clock);
        map.Replace([], Now);
    }

    [Fact]
    public void A_blocked_owner_is_refused_with_its_numbers_when_reputation_and_the_policy_enforce()
    {
        map.Replace([Row("example.com", ReputationState.Blocked, spam: 12, delivered: 40, reporters: 6)], Now);

        var decision = Decide(SpfPass("mail.example.com", "ip4:192.0.2.0/24"), PolicyMode.Enforce, PolicyMode.Enforce);

        Assert.Equal((RuleCondition.OwnerBlocked, Verdict.Black, PolicyAction.Reject), (decision.Rule.When, decision.Verdict, decision.Action));
        Assert.Equal("550 5.7.1 servers vouched for by example.com refused: 12 spam reports from 6 recipients in 14 days (example.com via -: S=12.0 H=0.0 D=40.0 R=6 LB=18.07%)", decision.SmtpReply);
    }

    [Fact]
    public void A_pinned_block_says_an_administrator_set_it_and_why()
    {
        map.Replace([Row("example.com", ReputationState.Blocked, spam: 0, delivered: 0, reporters: 0) with { Pinned = true, Reason = "phishing run, ticket 4711" }], Now);

        var decision = Decide(SpfPass("mail.example.com", "ip4:192.0.2.0/24"), PolicyMode.Enforce, PolicyMode.Enforce);

        Assert.StartsWith("550 5.7.1 servers vouched for by example.com refused: pinned by an administrator: phishing run, ticket 4711 (", decision.SmtpReply, StringComparison.Ordinal);
    }

    [Fact]
    public void In_reputation_monitor_mode_a_blocked_owner_is_tagged_what_enforcement_would_refuse()
    {
        map.Replace([Row("example.com", ReputationState.Blocked, spam: 12, delivered: 40, reporters: 6)], Now);

        var decision = Decide(SpfPass("mail.example.com", "ip4:192.0.2.0/24"), PolicyMode.Enforce, PolicyMode.Monitor);

        Assert.Equal((RuleCondition.OwnerBlocked, PolicyAction.Tag, PolicyAction.Reject, PolicyMode.Monitor), (decision.Rule.When, decision.Action, decision.EnforcedAction, decision.Mode));
    }

    [Fact]
    public void A_stale_map_makes_reputation_unknown_and_never_black()
    {
        map.Replace([Row("example.com", ReputationState.Blocked, spam: 12, delivered: 40, reporters: 6)], Now);
        clock.Advance(TimeSpan.FromMinutes(5));
        map.MarkFailed("connection refused");

        var evidence = SpfPass("mail.example.com", "ip4:192.0.2.0/24");
        var decision = Decide(evidence, PolicyMode.Enforce, PolicyMode.Enforce);

        Assert.Equal((RuleCondition.SpfPass, Verdict.White), (decision.Rule.When, decision.Verdict));
        Assert.Equal("unknown", WithReputation(evidence).Reputation.Token);
    }

    [Fact]
    public void A_suspect_owner_is_accepted_with_a_tag()
    {
        map.Replace([Row("example.com", ReputationState.Suspect, spam: 5, delivered: 100, reporters: 5)], Now);

        var decision = Decide(SpfPass("mail.example.com", "ip4:192.0.2.0/24"), PolicyMode.Enforce, PolicyMode.Enforce);

        Assert.Equal((RuleCondition.OwnerSuspect, Verdict.White, PolicyAction.Tag), (decision.Rule.When, decision.Verdict, decision.Action));
    }

    [Fact]
    public void A_block_of_the_esp_path_refuses_mail_through_that_esp_only()
    {
        map.Replace([Row("example.com", ReputationState.Blocked, spam: 12, delivered: 40, reporters: 6, via: "esp.net")], Now);

        var throughEsp = Decide(SpfPass("_spf.esp.net", "ip4:192.0.2.0/24"), PolicyMode.Enforce, PolicyMode.Enforce);
        var own = Decide(SpfPass("example.com", "ip4:192.0.2.0/24"), PolicyMode.Enforce, PolicyMode.Enforce);

        Assert.Equal(RuleCondition.OwnerBlocked, throughEsp.Rule.When);
        Assert.Equal(RuleCondition.SpfPass, own.Rule.When);
    }

    [Fact]
    public void A_forged_sender_charges_and_is_judged_by_the_client_address_not_the_forged_domain()
    {
        map.Replace([Row("victim.com", ReputationState.Blocked, spam: 12, delivered: 40, reporters: 6), Row("ip:192.0.2.10", ReputationState.Blocked, spam: 8, delivered: 8, reporters: 4)], Now);
        var forged = new Evidence(Request("a@victim.com"), TestEvidence.Spf(SpfResultCode.SoftFail), TestEvidence.Spf(), TestEvidence.NoFcrdns, TestEvidence.Unregistered, null, null, [], TestEvidence.NoRmx);

        var finding = WithReputation(forged).Reputation;
        var decision = Decide(forged, PolicyMode.Enforce, PolicyMode.Enforce);

        Assert.Null(finding.Vouching);
        Assert.Equal(["ip:192.0.2.10|-|"], finding.Charges.Select(c => c.Key.Id));
        Assert.Equal(RuleCondition.ClientBlocked, decision.Rule.When);
    }

    [Fact]
    public void With_nothing_listed_the_reputation_rows_ask_for_no_evidence()
    {
        var evidence = WithReputation(SpfPass("mail.example.com", "ip4:192.0.2.0/24"));

        Assert.Equal(EvidencePieces.None, PolicyEngine.Needs(RuleCondition.OwnerBlocked, evidence, EvidencePieces.None));
    }

    [Fact]
    public void An_owner_seen_with_fifty_distinct_senders_is_treated_as_a_provider_whose_sender_row_is_charged()
    {
        ReputationFinding finding = null!;
        for (var i = 0; i < 50; i++)
        {
            var evidence = SpfPass("mail.example.com", "ip4:192.0.2.0/24") with { Request = Request($"user{i}@example.com") };
            finding = WithReputation(evidence).Reputation;
            Assert.Equal(i == 49, finding.Provider);
        }

        Assert.Equal(2, finding.Charges.Count);
        Assert.Equal(ReputationStateMap.SenderHash("example.com", "user49"), finding.Charges[0].Key.Sender);
        Assert.False(finding.Charges[0].CapAtSuspect);
        Assert.True(finding.Charges[1].CapAtSuspect);
    }

    [Fact]
    public void A_state_change_event_replaces_only_its_subjects_rows_and_a_neutral_row_leaves()
    {
        map.Replace([Row("example.com", ReputationState.Blocked, 12, 40, 6), Row("example.com", ReputationState.Suspect, 3, 40, 2, via: "esp.net"), Row("other.example", ReputationState.Suspect, 3, 40, 2)], Now);

        map.ReplaceSubject("example.com", [Row("example.com", ReputationState.Neutral, 1, 40, 1), Row("example.com", ReputationState.Blocked, 6, 40, 3, via: "esp.net")]);

        Assert.Equal(["example.com|esp.net|", "other.example|-|"], map.Rows.Select(row => row.Key.Id).Order(StringComparer.Ordinal));
        Assert.Equal(ReputationState.Blocked, map.Find(new ReputationKey("example.com", "esp.net", ""))!.State);
        Assert.True(map.IsKnown);
    }

    private Decision Decide(Evidence evidence, PolicyMode mode, PolicyMode reputationMode) =>
        PolicyEngine.Decide(WithReputation(evidence), new PolicyOptions { Mode = mode, ReputationMode = reputationMode }, Now);

    private Evidence WithReputation(Evidence evidence) =>
        evidence with { Reputation = map.Find(evidence.Request, evidence.MailFromSpf, evidence.HeloSpf, evidence.Registration, evidence.Rmx) };

    private static CheckRequest Request(string sender) => CheckRequest.Create(Client, sender, "mail.example.com");

    private static Evidence SpfPass(string authorizingDomain, string term)
    {
        var spf = new SpfResult(SpfResultCode.Pass, SpfIdentity.MailFrom, "example.com", "a@example.com", term, null, false, 1, 0, null, [])
        {
            AuthorizingTerm = term,
            AuthorizingDomain = authorizingDomain,
        };
        return new Evidence(Request("a@example.com"), spf, TestEvidence.Spf(), TestEvidence.NoFcrdns, TestEvidence.Unregistered, null, null, [], TestEvidence.NoRmx);
    }

    private static ReputationRow Row(string subject, ReputationState state, double spam, double delivered, int reporters, string via = "-") =>
        new(new ReputationKey(subject, via, ""), new ReputationCounters(spam, 0, delivered, Now), reporters, true, state, Now, false, "", Now);
}
