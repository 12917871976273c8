using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Policy;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Policy;

/// <summary>What a listing, our own MX hosts and trusted relays decide: rows of the decision table, on evidence built by hand.</summary>
public sealed class ListAndOwnMxRowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly DnsListDefinition Zen = new("zen", "zen.test", DnsListKind.Address, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

    private static readonly DnsListDefinition Dbl = new("dbl", "dbl.test", DnsListKind.Domain, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

    private static DnsListResult Listed(DnsListDefinition list, string subject) =>
        new(list, subject, $"{subject}.{list.Zone}", DnsListOutcome.Listed, [IPAddress.Parse("127.0.0.2")], null);

    private static DnsListResult NotListed(DnsListDefinition list, string subject) =>
        new(list, subject, $"{subject}.{list.Zone}", DnsListOutcome.NotListed, [], null);

    private static Evidence Evidence(ListMatch? allowed, ListMatch? localBlock, params DnsListResult[] dnsLists) =>
        new(CheckRequest.Create(IPAddress.Parse("203.0.113.7"), "a@example.com", "mx.example.com"),
            TestEvidence.Spf(SpfResultCode.Pass), TestEvidence.Spf(), TestEvidence.NoFcrdns, TestEvidence.Unregistered, allowed, localBlock, dnsLists, TestEvidence.NoRmx);

    private static PolicyOptions Enforce(params (string List, PolicyAction Action)[] listActions) => new()
    {
        Mode = PolicyMode.Enforce,
        ListActions = listActions.ToDictionary(a => a.List, a => a.Action),
    };

    [Fact]
    public void TheLocalBlockListBeatsADnsListAndItsOwnAction()
    {
        var evidence = Evidence(null, new ListMatch("block", "203.0.113.7", "203.0.113.0/24"), Listed(Zen, "203.0.113.7"));

        var decision = PolicyEngine.Decide(evidence, Enforce(("zen", PolicyAction.Tag)), Now);

        Assert.Equal(("block", PolicyAction.Reject), (evidence.Blocked!.List, decision.Action));
        Assert.StartsWith("550 5.7.1 203.0.113.7 (block: 203.0.113.0/24)", decision.SmtpReply, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstDnsListingInConfiguredOrderWinsWithItsOwnAction()
    {
        var evidence = Evidence(null, null, NotListed(Zen, "203.0.113.7"), Listed(Dbl, "example.com"), Listed(Zen, "example.com"));

        var decision = PolicyEngine.Decide(evidence, Enforce(("dbl", PolicyAction.Defer), ("zen", PolicyAction.Reject)), Now);

        Assert.Equal(("dbl", "example.com", "example.com.dbl.test"), (evidence.Blocked!.List, evidence.Blocked.Subject, evidence.Blocked.Entry));
        Assert.Equal((Verdict.Black, PolicyAction.Defer), (decision.Verdict, decision.Action));
        Assert.StartsWith("451 4.7.1 ", decision.SmtpReply, StringComparison.Ordinal);
    }

    [Fact]
    public void ADnsListWithoutAnActionOfItsOwnAndTheLocalBlockListTakeTheRowsAction()
    {
        DecisionRule[] rules =
        [
            new(RuleCondition.BlockListed, Verdict.Black, PolicyAction.Tag, "", "{listed} is listed"),
            new(RuleCondition.Always, Verdict.White, PolicyAction.Accept, "", "fine"),
        ];
        var dnsListed = Evidence(null, null, Listed(Zen, "203.0.113.7"));
        var localBlocked = Evidence(null, new ListMatch("block", "203.0.113.7", "203.0.113.0/24"));

        var options = new PolicyOptions { Mode = PolicyMode.Enforce, Rules = rules };

        Assert.Equal(PolicyAction.Tag, PolicyEngine.Decide(dnsListed, options, Now).Action);
        Assert.Equal(PolicyAction.Tag, PolicyEngine.Decide(localBlocked, options, Now).Action);
        Assert.Equal(PolicyAction.Tag, PolicyEngine.ListingAction(localBlocked, localBlocked.Blocked!, options));
    }

    [Fact]
    public void AnAllowListingIsAcceptedByTheAllowRowAndReportsItsAction()
    {
        var allowed = new ListMatch("allow", "203.0.113.7", "203.0.113.7/32");
        var evidence = Evidence(allowed, null, Listed(Zen, "203.0.113.7"));
        var options = Enforce(("zen", PolicyAction.Defer));

        var decision = PolicyEngine.Decide(evidence, options, Now);

        Assert.Equal(("allow_listed", PolicyAction.Accept), (decision.Rule.When.ToToken(), decision.Action));
        Assert.Equal(PolicyAction.Accept, PolicyEngine.ListingAction(evidence, allowed, options));
        Assert.Equal(PolicyAction.Defer, PolicyEngine.ListingAction(evidence, evidence.Blocked!, options));
    }

    [Fact]
    public void OurOwnMxHostIsDecidedByItsRowWhereverItStands()
    {
        var evidence = Evidence(null, null) with { OwnMxHost = "relay.example.org (MX of example.org)" };
        DecisionRule[] rules =
        [
            new(RuleCondition.SpfPass, Verdict.Black, PolicyAction.Reject, "5.7.1", "would refuse"),
            new(RuleCondition.OwnMxHost, Verdict.White, PolicyAction.Tag, "", "ours: {own_mx_host}"),
            new(RuleCondition.Always, Verdict.Black, PolicyAction.Reject, "5.7.1", "no"),
        ];

        var own = PolicyEngine.Decide(evidence, new PolicyOptions { Mode = PolicyMode.Enforce, Rules = rules }, Now);
        var builtIn = PolicyEngine.Decide(evidence, new PolicyOptions { Mode = PolicyMode.Enforce }, Now);

        Assert.Equal((RuleCondition.OwnMxHost, PolicyAction.Tag, "ours: relay.example.org (MX of example.org)"), (own.Rule.When, own.Action, own.Reason));
        Assert.Equal((DecisionTable.OwnMxHost, PolicyAction.Accept), (builtIn.Rule, builtIn.Action));
        Assert.Equal("203.0.113.7 is relay.example.org (MX of example.org): our backup MX, which judged this mail already", builtIn.Reason);
    }

    [Fact]
    public async Task TheCheckFindsOurOwnMxHostWithinItsDeadlineAndAsksNothingElse()
    {
        var zone = new TestZone()
            .Mx("example.org", 10, "mx.example.org").Mx("example.org", 90, "relay.example.org").A("relay.example.org", "198.51.100.30")
            .Txt("example.com", "v=spf1 -all");
        var resolver = new CountingResolver(zone.Resolver());
        var configuration = new VouchConfiguration
        {
            Policy = new PolicyOptions { Mode = PolicyMode.Enforce },
            Server = new PolicyServerOptions { SkipDomains = ["example.org"] },
        };
        var checker = new SenderChecker(resolver, TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(Now));

        var backup = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("198.51.100.30"), "alice@example.com", "relay.example.org"), CancellationToken.None);
        DnsQuestion[] asked = [.. resolver.Asked];
        var stranger = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("198.51.100.31"), "alice@example.com", "relay.example.org"), CancellationToken.None);

        Assert.Equal(("relay.example.org (MX of example.org)", "own_mx_host", PolicyAction.Accept), (backup.Evidence.OwnMxHost, backup.Decision.Rule.When.ToToken(), backup.Decision.Action));
        Assert.DoesNotContain(asked, q => q.Name.Contains("example.com", StringComparison.Ordinal));
        Assert.False(backup.Evidence.MailFromSpf.WasChecked);
        Assert.Equal(("spf_fail", PolicyAction.Reject), (stranger.Decision.Rule.When.ToToken(), stranger.Decision.Action));
    }

    [Fact]
    public async Task ATrustedRelayIsDecidedByItsRowAloneWithoutAnyDnsQuestion()
    {
        var resolver = new CountingResolver(new TestZone().Txt("example.com", "v=spf1 -all").Resolver());
        var configuration = new VouchConfiguration
        {
            Policy = new PolicyOptions { Mode = PolicyMode.Enforce },
            Server = new PolicyServerOptions { SkipNetworks = [new Vouch.Network.AddressPrefix(IPAddress.Parse("10.1.0.0"), 16)] },
        };
        var checker = new SenderChecker(resolver, TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(Now));
        DecisionRule[] rules =
        [
            new(RuleCondition.SpfFail, Verdict.Black, PolicyAction.Reject, "5.7.1", "would refuse"),
            new(RuleCondition.TrustedRelay, Verdict.White, PolicyAction.Tag, "", "ours: {trusted_network}"),
            new(RuleCondition.Always, Verdict.Black, PolicyAction.Reject, "5.7.1", "no"),
        ];

        var relayed = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("10.1.2.3"), "alice@example.com", "not a name"), CancellationToken.None);
        var asked = resolver.Asked.Count;
        var outside = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("10.2.0.1"), "alice@example.com", "relay.example.org"), CancellationToken.None);
        var ownRow = PolicyEngine.Decide(relayed.Evidence, new PolicyOptions { Mode = PolicyMode.Enforce, Rules = rules }, Now);

        Assert.Equal(("10.1.0.0/16", "trusted_relay", PolicyAction.Accept), (relayed.Evidence.TrustedNetwork, relayed.Decision.Rule.When.ToToken(), relayed.Decision.Action));
        Assert.Equal("10.1.2.3 is in the trusted network 10.1.0.0/16", relayed.Decision.Reason);
        Assert.Equal(0, asked);
        Assert.Equal(("spf_fail", PolicyAction.Reject), (outside.Decision.Rule.When.ToToken(), outside.Decision.Action));
        Assert.Equal((PolicyAction.Tag, "ours: 10.1.0.0/16"), (ownRow.Action, ownRow.Reason));
    }
}
