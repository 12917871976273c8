using System.Net;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Policy;
using Vouch.Reputation;
using Vouch.Smtp;
using Vouch.Tests.Support;

namespace Vouch.Tests.Reputation;

/// <summary>suspect_action = "defer-once": a suspect owner's first message from an address is deferred, the retry tagged.</summary>
public sealed class SuspectDeferOnceTests
{
    [Theory]
    [InlineData(true, PolicyAction.Defer, PolicyAction.Tag)]
    [InlineData(false, PolicyAction.Tag, PolicyAction.Tag)]
    public async Task The_first_message_is_deferred_and_the_retry_tagged_only_when_asked(bool deferOnce, PolicyAction first, PolicyAction retry)
    {
        var options = ReputationOptions.Default with { Enabled = true, SuspectDeferOnce = deferOnce };
        var map = new ReputationStateMap(options, TestSuffixes.List);
        var now = DateTimeOffset.UtcNow;
        map.Replace([new ReputationRow(ReputationKey.ForOwner("example.com"), new ReputationCounters(5, 0, 100, now), 5, true, ReputationState.Suspect, now, false, "", now)], now);
        var configuration = new VouchConfiguration
        {
            Reputation = options,
            Policy = new PolicyOptions { Mode = PolicyMode.Enforce, ReputationMode = PolicyMode.Enforce },
        };
        var checker = new SenderChecker(new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").Resolver(), TestSuffixes.List, configuration, reputation: map);
        var request = CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "news@example.com", "mail.example.com");

        var firstOutcome = await checker.CheckAsync(request, CancellationToken.None);
        var retryOutcome = await checker.CheckAsync(request, CancellationToken.None);

        Assert.Equal((RuleCondition.OwnerSuspect, first), (firstOutcome.Decision.Rule.When, firstOutcome.Decision.Action));
        Assert.Equal((RuleCondition.OwnerSuspect, retry), (retryOutcome.Decision.Rule.When, retryOutcome.Decision.Action));
        if (deferOnce)
        {
            Assert.StartsWith("451 4.7.1 example.com vouches for 192.0.2.10, but is suspect: 5 spam reports from 5 recipients", firstOutcome.Decision.SmtpReply, StringComparison.Ordinal);
        }
    }
}
