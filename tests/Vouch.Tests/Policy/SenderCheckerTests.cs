using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Policy;

/// <summary>Evidence to verdict to action, through every check, on zone data.</summary>
public sealed class SenderCheckerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static TestZone World() => new TestZone()
        .Txt("example.com", "v=spf1 ip4:192.0.2.0/28 -all").Mx("example.com", 10, "mail.example.com").A("mail.example.com", "192.0.2.25")
        .Mx("example.net", 10, "mail.example.net").A("mail.example.net", "198.51.100.20")
        .Txt("shop.example", "v=spf1 a:mx.shop.example ~all").A("mx.shop.example", "198.51.100.5")
        .Mx("noreply.example", 0, ".")
        .Txt("flaky.example", "v=spf1 include:down.example -all").Fail("down.example", DnsStatus.Timeout)
        .Txt("spammer.example", "v=spf1 ip4:203.0.113.0/24 -all")
        .A("spammer.example.rhsbl.test", "127.0.0.2").Txt("spammer.example.rhsbl.test", "known spammer")
        .A("test.rhsbl.test", "127.0.0.2")
        .A("refused.example.rhsbl.test", "127.255.255.254")
        .Txt("refused.example", "v=spf1 -all")
        .A("7.113.0.203.dnsbl.test", "127.0.0.4").A("2.0.0.127.dnsbl.test", "127.0.0.2");

    private static Task<CheckOutcome> CheckAsync(string ip, string sender, string helo, VouchConfiguration? configuration = null, DateTimeOffset? at = null) =>
        new SenderChecker(World().Resolver(), TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(at ?? Now))
            .CheckAsync(CheckRequest.Create(IPAddress.Parse(ip), sender, helo), CancellationToken.None);

    private static VouchConfiguration Enforce(ListOptions? lists = null, IReadOnlyDictionary<string, PolicyAction>? listActions = null) =>
        new() { Policy = new PolicyOptions { Mode = PolicyMode.Enforce, ListActions = listActions ?? new Dictionary<string, PolicyAction>() }, Lists = lists ?? new ListOptions() };

    [Theory]
    [InlineData("192.0.2.10", "alice@example.com", "mail.example.com", "spf_pass", Verdict.White, PolicyAction.Accept)]
    [InlineData("203.0.113.66", "alice@example.com", "x.example.net", "spf_fail", Verdict.Black, PolicyAction.Reject)]
    [InlineData("198.51.100.20", "bob@example.net", "mail.example.net", "mx_registered", Verdict.White, PolicyAction.Accept)]
    [InlineData("198.51.100.20", "alerts@noreply.example", "mail.example.net", "null_mx_sender", Verdict.Black, PolicyAction.Reject)]
    [InlineData("198.51.100.99", "orders@shop.example", "dsl.isp.example", "spf_softfail", Verdict.Black, PolicyAction.Reject)]
    [InlineData("198.51.100.99", "carol@example.net", "dsl.isp.example", "spf_none", Verdict.Black, PolicyAction.Reject)]
    [InlineData("198.51.100.99", "x@flaky.example", "dsl.isp.example", "temporary_failure", Verdict.Grey, PolicyAction.Defer)]
    public async Task TheDefaultTableDecidesInOrder(string ip, string sender, string helo, string rule, Verdict verdict, PolicyAction action)
    {
        var outcome = await CheckAsync(ip, sender, helo, Enforce());

        Assert.Equal((rule, verdict, action), (outcome.Decision.Rule.When.ToToken(), outcome.Decision.Verdict, outcome.Decision.Action));
    }

    [Fact]
    public async Task RejectionsCarryEnhancedStatusCodesAndNameTheEvidence()
    {
        var spfFail = await CheckAsync("203.0.113.66", "alice@example.com", "x.example.net", Enforce());
        var nullMx = await CheckAsync("198.51.100.20", "alerts@noreply.example", "mail.example.net", Enforce());
        var unregistered = await CheckAsync("198.51.100.99", "carol@example.net", "dsl.isp.example", Enforce());
        var grey = await CheckAsync("198.51.100.99", "x@flaky.example", "dsl.isp.example", Enforce());

        Assert.Equal("550 5.7.23 SPF fail: example.com does not designate 203.0.113.66 as a permitted sender", spfFail.Decision.SmtpReply);
        Assert.StartsWith("550 5.7.27 sender domain noreply.example publishes a null MX", nullMx.Decision.SmtpReply, StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.1 198.51.100.99 is not a registered mail server", unregistered.Decision.SmtpReply, StringComparison.Ordinal);
        Assert.StartsWith("451 4.4.3 temporary DNS failure", grey.Decision.SmtpReply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnsTroubleIsGreyNeverBlack()
    {
        var outcome = await CheckAsync("198.51.100.99", "x@flaky.example", "dsl.isp.example", Enforce());

        Assert.Equal(Verdict.Grey, outcome.Decision.Verdict);
        Assert.NotEqual(PolicyAction.Reject, outcome.Decision.Action);
    }

    [Fact]
    public async Task TheAllowListComesFirst()
    {
        var lists = new ListOptions { AllowAddresses = [new AddressPrefix(IPAddress.Parse("203.0.113.0"), 24)], BlockDomains = ["example.com"] };

        var outcome = await CheckAsync("203.0.113.66", "alice@example.com", "x.example.net", Enforce(lists));

        Assert.Equal((Verdict.White, PolicyAction.Accept, "allow_listed"), (outcome.Decision.Verdict, outcome.Decision.Action, outcome.Decision.Rule.When.ToToken()));
    }

    [Fact]
    public async Task ALocallyBlockedOwnerIsRefusedEvenWithSpfPass()
    {
        var lists = new ListOptions { BlockDomains = ["spammer.example"] };

        var outcome = await CheckAsync("203.0.113.7", "win@spammer.example", "mx.spammer.example", Enforce(lists));

        Assert.Equal(Vouch.Spf.SpfResultCode.Pass, outcome.MailFromSpf.Code);
        Assert.Equal((Verdict.Black, "block_listed"), (outcome.Decision.Verdict, outcome.Decision.Rule.When.ToToken()));
        Assert.Equal("spammer.example", outcome.Evidence.Blocked!.Subject);
    }

    [Fact]
    public async Task AnRhsblListingRefusesTheDomain()
    {
        var list = new DnsListDefinition("demo-rhsbl", "rhsbl.test", DnsListKind.Domain, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

        var outcome = await CheckAsync("203.0.113.7", "win@spammer.example", "mx.spammer.example", Enforce(new ListOptions { DnsLists = [list] }));

        Assert.Equal((Verdict.Black, "block_listed", "demo-rhsbl"), (outcome.Decision.Verdict, outcome.Decision.Rule.When.ToToken(), outcome.Evidence.Blocked!.List));
        Assert.Contains(outcome.Evidence.DnsLists, r => r.Outcome == DnsListOutcome.Listed && r.Text == "known spammer");
    }

    [Fact]
    public async Task ADnsblListingTakesItsListsAction()
    {
        var list = new DnsListDefinition("demo-dnsbl", "dnsbl.test", DnsListKind.Address, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

        var outcome = await CheckAsync("203.0.113.7", "win@spammer.example", "mx.spammer.example", Enforce(new ListOptions { DnsLists = [list] }, new Dictionary<string, PolicyAction> { ["demo-dnsbl"] = PolicyAction.Defer }));

        Assert.Equal((Verdict.Black, PolicyAction.Defer), (outcome.Decision.Verdict, outcome.Decision.Action));
        Assert.StartsWith("451 4.7.1", outcome.Decision.SmtpReply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListsErrorCodeIsNotAListing()
    {
        var list = new DnsListDefinition("demo-rhsbl", "rhsbl.test", DnsListKind.Domain, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

        var outcome = await CheckAsync("203.0.113.66", "x@refused.example", "h.example.net", Enforce(new ListOptions { DnsLists = [list] }));

        Assert.Null(outcome.Evidence.Blocked);
        Assert.Contains(outcome.Evidence.DnsLists, r => r.Outcome == DnsListOutcome.Error);
        Assert.Equal("spf_fail", outcome.Decision.Rule.When.ToToken());
    }

    [Fact]
    public async Task MonitorModeNeverRejectsOrDefersButSaysWhatEnforcementWould()
    {
        var outcome = await CheckAsync("203.0.113.66", "alice@example.com", "x.example.net");

        Assert.Equal(PolicyMode.Monitor, outcome.Decision.Mode);
        Assert.Equal((Verdict.Black, PolicyAction.Tag, PolicyAction.Reject), (outcome.Decision.Verdict, outcome.Decision.Action, outcome.Decision.EnforcedAction));
        Assert.StartsWith("550 5.7.23", outcome.Decision.SmtpReply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnforceFromEndsTheGracePeriodOnItsDate()
    {
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { EnforceFrom = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero) } };

        var before = await CheckAsync("203.0.113.66", "alice@example.com", "x.example.net", configuration, new DateTimeOffset(2027, 1, 14, 23, 59, 59, TimeSpan.Zero));
        var after = await CheckAsync("203.0.113.66", "alice@example.com", "x.example.net", configuration, new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal((PolicyMode.Monitor, PolicyAction.Tag), (before.Decision.Mode, before.Decision.Action));
        Assert.Equal((PolicyMode.Enforce, PolicyAction.Reject), (after.Decision.Mode, after.Decision.Action));
    }

    [Fact]
    public async Task SoftfailCanBeGivenItsOwnAction()
    {
        var rules = DecisionTable.Default.Select(r => r.When == RuleCondition.SpfSoftFail ? r with { Action = PolicyAction.Tag, StatusCode = "" } : r).ToArray();
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Enforce, Rules = rules } };

        var outcome = await CheckAsync("198.51.100.99", "orders@shop.example", "dsl.isp.example", configuration);

        Assert.Equal((Verdict.Black, PolicyAction.Tag), (outcome.Decision.Verdict, outcome.Decision.Action));
        Assert.Null(outcome.Decision.SmtpReply);
    }

    [Fact]
    public async Task OnTheSystemClockDeadlinesAreReusedWithoutCarryingACancellationOver()
    {
        // The system clock's deadline sources are reset and reused: a caller's token cancelled after its check
        // must not reach a later check, and a check cancelled by its caller must not leave a cancelled source behind.
        var checker = new SenderChecker(World().Resolver(), TestSuffixes.List, Enforce());
        var request = CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "alice@example.com", "mail.example.com");
        using var first = new CancellationTokenSource();
        await checker.CheckAsync(request, first.Token);
        await first.CancelAsync();

        var afterCancelledCaller = await checker.CheckAsync(request, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => checker.CheckAsync(request, first.Token));
        var afterCancelledCheck = await checker.CheckAsync(request, CancellationToken.None);

        Assert.Equal(("spf_pass", "spf_pass"), (afterCancelledCaller.Decision.Rule.When.ToToken(), afterCancelledCheck.Decision.Rule.When.ToToken()));
    }

    [Fact]
    public async Task TheWholeCheckHasADeadlineAndPassingItIsGrey()
    {
        var clock = new FakeTimeProvider(Now);
        var silent = new SilentResolver();
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Enforce }, Checks = new ChecksOptions { Deadline = TimeSpan.FromSeconds(20) } };
        var checker = new SenderChecker(silent, TestSuffixes.List, configuration, timeProvider: clock);

        var check = checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("192.0.2.1"), "a@example.com", "h.example.com"), CancellationToken.None);
        while (silent.Queries == 0)
        {
            await Task.Yield();
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        var outcome = await check;

        Assert.Equal((Verdict.Grey, PolicyAction.Defer, "temporary_failure"), (outcome.Decision.Verdict, outcome.Decision.Action, outcome.Decision.Rule.When.ToToken()));
        Assert.Contains("deadline of 20 s", outcome.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationTurnedOffAsksNoReverseOrMxQuestionAndSpfStillDecides()
    {
        var counting = new CountingResolver(World().Ptr("198.51.100.20", "mail.example.net").Resolver());
        var configuration = Enforce() with { Registration = new RegistrationOptions { Enabled = false } };
        var checker = new SenderChecker(counting, TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(Now));

        var registeredByMx = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("198.51.100.20"), "bob@example.net", "mail.example.net"), CancellationToken.None);
        var spfPass = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "alice@example.com", "mail.example.com"), CancellationToken.None);

        Assert.Equal((RegistrationResultCode.Off, FcrdnsResultCode.Off, "off", "off"),
            (registeredByMx.Evidence.Registration.Code, registeredByMx.Evidence.Fcrdns.Code, registeredByMx.Evidence.Registration.Token, registeredByMx.Evidence.Fcrdns.Token));
        Assert.Equal("spf_none", registeredByMx.Decision.Rule.When.ToToken());
        Assert.Equal((Verdict.White, "spf_pass"), (spfPass.Decision.Verdict, spfPass.Decision.Rule.When.ToToken()));
        Assert.DoesNotContain(counting.Asked, question => question.Type is DnsRecordType.PTR or DnsRecordType.MX);
    }

    [Fact]
    public async Task ABounceIsCheckedByItsHeloNameOnceForBothIdentities()
    {
        var counting = new CountingResolver(World().Resolver());
        var checker = new SenderChecker(counting, TestSuffixes.List, Enforce(), timeProvider: new FakeTimeProvider(Now));

        var outcome = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "", "example.com"), CancellationToken.None);

        Assert.Equal((SpfIdentity.MailFrom, SpfResultCode.Pass, "postmaster@example.com"), (outcome.Evidence.MailFromSpf.Identity, outcome.Evidence.MailFromSpf.Code, outcome.Evidence.MailFromSpf.Sender));
        Assert.Equal((SpfIdentity.Helo, SpfResultCode.Pass, "postmaster@example.com"), (outcome.Evidence.HeloSpf.Identity, outcome.Evidence.HeloSpf.Code, outcome.Evidence.HeloSpf.Sender));
        Assert.Single(counting.Asked, question => question == new DnsQuestion("example.com", DnsRecordType.TXT));
    }

    [Fact]
    public async Task WithTheHeloCheckOffOnlyABouncesHeloNameIsAsked()
    {
        var counting = new CountingResolver(World().Txt("mail.example.net", "v=spf1 ip4:198.51.100.20 -all").Resolver());
        var configuration = Enforce() with { Checks = ChecksOptions.Default with { CheckHelo = false } };
        var checker = new SenderChecker(counting, TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(Now));

        var message = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("198.51.100.20"), "bob@example.net", "mail.example.net"), CancellationToken.None);
        var askedForMessage = counting.Asked.Count(question => question == new DnsQuestion("mail.example.net", DnsRecordType.TXT));
        var bounce = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse("198.51.100.20"), "", "mail.example.net"), CancellationToken.None);

        Assert.Equal((0, SpfResultCode.None, false), (askedForMessage, message.Evidence.HeloSpf.Code, message.Evidence.HeloSpf.WasChecked));
        Assert.Equal((SpfResultCode.Pass, true), (bounce.Evidence.HeloSpf.Code, bounce.Evidence.HeloSpf.WasChecked));
    }

    [Fact]
    public async Task ConfirmedClientNameStillCountsWhenRegistrationIsOff()
    {
        var configuration = Enforce() with { Registration = new RegistrationOptions { Enabled = false } };
        var checker = new SenderChecker(World().Resolver(), TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(Now));

        var outcome = await checker.CheckAsync((CheckRequest.Create(IPAddress.Parse("198.51.100.20"), "bob@example.net", "mail.example.net") with { ConfirmedClientName = "mail.example.net" }), CancellationToken.None);

        Assert.Equal((FcrdnsResultCode.Pass, RegistrationResultCode.Off), (outcome.Evidence.Fcrdns.Code, outcome.Evidence.Registration.Code));
    }

    [Fact]
    public void EveryDefaultRowCanBeTestedOnItsOwn()
    {
        // Every condition but fcrdns_fail (a site's own row) has exactly one row: in the default table, among
        // the identity rows, or the client_unreadable, own_mx_host and trusted_relay rows.
        Assert.Equal(RuleCondition.Always, DecisionTable.Default[^1].When);
        DecisionRule[] rows = [.. DecisionTable.Default, .. DecisionTable.IdentityRows, DecisionTable.ClientUnreadable, DecisionTable.OwnMxHost, DecisionTable.TrustedRelay];
        Assert.Equal(Enum.GetValues<RuleCondition>().Where(c => c != RuleCondition.FcrdnsFail).Order(), rows.Select(r => r.When).Order());
        Assert.All(rows, r => Assert.Equal(r.Action is PolicyAction.Reject or PolicyAction.Defer, r.StatusCode.Length > 0));
    }

    [Fact]
    public void ReasonsAreOneLineOfPrintableText()
    {
        var rule = new DecisionRule(RuleCondition.Always, Verdict.Black, PolicyAction.Reject, "5.7.1", "bad {helo}");
        var evidence = new Evidence(CheckRequest.Create(IPAddress.Parse("192.0.2.1"), "", "evil\r\nX-Injected: yes"),
            TestEvidence.Spf(), TestEvidence.Spf(), TestEvidence.NoFcrdns, TestEvidence.Unregistered, null, null, [], TestEvidence.NoRmx);

        var decision = PolicyEngine.Decide(evidence, new PolicyOptions { Mode = PolicyMode.Enforce, Rules = [rule] }, Now);

        Assert.Equal("550 5.7.1 bad evil  X-Injected: yes", decision.SmtpReply);
    }

    [Fact]
    public void PlaceholdersAreFilledOnceAndTextFromValuesIsNotExpanded()
    {
        var rule = new DecisionRule(RuleCondition.Always, Verdict.Black, PolicyAction.Reject, "5.7.1", "{ip} said {helo}, sender {sender} ({mailfrom_domain}); {ip}");
        var evidence = new Evidence(CheckRequest.Create(IPAddress.Parse("192.0.2.1"), "", "{ip}.{owner}"),
            TestEvidence.Spf(), TestEvidence.Spf(), TestEvidence.NoFcrdns, TestEvidence.Unregistered, null, null, [], TestEvidence.NoRmx);

        var decision = PolicyEngine.Decide(evidence, new PolicyOptions { Mode = PolicyMode.Enforce, Rules = [rule] }, Now);

        Assert.Equal($"192.0.2.1 said {{ip}}.{{owner}}, sender <> ({evidence.MailFromSpf.Domain}); 192.0.2.1", decision.Reason);
    }
}
