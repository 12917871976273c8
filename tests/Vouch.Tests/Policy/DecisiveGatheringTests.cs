using System.Net;
using System.Text.Json;
using CsCheck;
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

/// <summary>[checks] gather = "decisive": the same decisions as "all", on fewer questions.</summary>
public sealed class DecisiveGatheringTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A world with every route: SPF pass, fail, softfail, neutral, none, permerror, temperror; registration by MAIL FROM, HELO and PTR; RMX granted and denied; Null MX; list entries.</summary>
    private static TestZone World() => new TestZone()
        .Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").Mx("example.com", 10, "mail.example.com").A("mail.example.com", "192.0.2.25")
        .Mx("example.net", 10, "mail.example.net").A("mail.example.net", "198.51.100.20")
        .Txt("shop.example", "v=spf1 a:mx.shop.example ~all").A("mx.shop.example", "198.51.100.5")
        .Mx("noreply.example", 0, ".")
        .Txt("flaky.example", "v=spf1 include:down.example -all").Fail("down.example", DnsStatus.Timeout)
        .Txt("spammer.example", "v=spf1 ip4:203.0.113.0/24 -all")
        .Txt("neutral.example", "v=spf1 ?all")
        .Txt("broken.example", "v=spf1 ip4:not-an-address -all")
        .Txt("_rmx.rmx.example", "!ipv4:198.51.100.20 ipv4:198.51.100.0/24")
        .Mx("outbound.example", 50, "out.outbound.example").A("out.outbound.example", "198.51.100.41")
        .Txt("out.outbound.example", "v=spf1 a -all")
        .Ptr("198.51.100.41", "out.outbound.example")
        .Ptr("198.51.100.99", "dsl.isp.example").A("dsl.isp.example", "198.51.100.98")
        .Ptr("192.0.2.10", "mail.example.com")
        .A("spammer.example.rhsbl.test", "127.0.0.2").Txt("spammer.example.rhsbl.test", "known spammer")
        .A("7.113.0.203.dnsbl.test", "127.0.0.4")
        .A("10.2.0.192.dnsbl.test", "127.0.0.2");

    private static readonly string[] Clients = ["192.0.2.10", "192.0.2.25", "198.51.100.20", "198.51.100.41", "198.51.100.99", "198.51.100.5", "203.0.113.7", "203.0.113.66", "2001:db8::1"];

    private static readonly string[] Senders = ["alice@example.com", "bob@example.net", "orders@shop.example", "alerts@noreply.example", "x@flaky.example", "eve@spammer.example",
        "n@neutral.example", "b@broken.example", "r@rmx.example", "postmaster@outbound.example", "", "not an address", "someone@nowhere.example"];

    private static readonly string[] Helos = ["mail.example.com", "out.outbound.example", "dsl.isp.example", "[198.51.100.41]", "my mail server", "", "mail.example.net", "outbound.example", "down.example", "example.com", "shop.example"];

    private static readonly DnsListDefinition Dnsbl = new("demo-dnsbl", "dnsbl.test", DnsListKind.Address, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);
    private static readonly DnsListDefinition Rhsbl = new("demo-rhsbl", "rhsbl.test", DnsListKind.Domain, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

    private static readonly ListOptions[] ListChoices =
    [
        new(),
        new() { AllowAddresses = [Prefix("192.0.2.0/28")], BlockAddresses = [Prefix("203.0.113.64/28")] },
        new() { AllowDomains = ["example.net"], BlockDomains = ["spammer.example", "isp.example"] },
        new() { DnsLists = [Dnsbl] },
        new() { DnsLists = [Rhsbl, Dnsbl], AllowDomains = ["outbound.example"] },
    ];

    /// <summary>Rows a site may write, beyond the default table's: the identity rows and fcrdns_fail.</summary>
    private static readonly DecisionRule[] ExtraRows =
    [
        .. DecisionTable.IdentityRows,
        new(RuleCondition.FcrdnsFail, Verdict.Black, PolicyAction.Reject, "5.7.25", "the PTR names of {ip} do not resolve back to it"),
        new(RuleCondition.SpfPass, Verdict.White, PolicyAction.Accept, "", "every placeholder: {problem} / {domain} / {owner} / {mx_host} / {via} / {rmx_result} / {rmx_entry} / {listed} / {spf_domain} / {spf_explanation}"),
    ];

    private static AddressPrefix Prefix(string text) => AddressPrefix.TryParse(text, out var prefix) ? prefix : throw new ArgumentException(text, nameof(text));

    private static async Task<(CheckOutcome Outcome, HashSet<DnsQuestion> Asked)> CheckAsync(VouchConfiguration configuration, CheckRequest request)
    {
        var counting = new CountingResolver(World().Resolver());
        var checker = new SenderChecker(counting, TestSuffixes.List, configuration, timeProvider: new FakeTimeProvider(Now));
        var outcome = await checker.CheckAsync(request, CancellationToken.None);
        return (outcome, [.. counting.Asked]);
    }

    private static VouchConfiguration Configuration(EvidenceGathering gather, PolicyMode mode = PolicyMode.Enforce, TagHeader header = TagHeader.ReceivedSpf) => new()
    {
        Policy = new PolicyOptions { Mode = mode },
        Checks = ChecksOptions.Default with { Gather = gather },
        Server = new PolicyServerOptions { Header = header },
    };

    [Fact]
    public async Task DecisiveGatheringDecidesAsGatheringAllDoesAndAsksNoQuestionThatAllWouldNot()
    {
        var headers = Enum.GetValues<TagHeader>();
        var decidedBy = new System.Collections.Concurrent.ConcurrentDictionary<RuleCondition, int>();
        var skippedSomething = 0;
        await Gen.Int.SampleAsync(async seed =>
        {
            var random = new Random(seed);
            T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

            // A table of the default rows and a site's rows, shuffled, some left out, always last.
            var rows = DecisionTable.Default.Take(DecisionTable.Default.Count - 1).Concat(ExtraRows).Where(_ => random.Next(4) > 0).OrderBy(_ => random.Next()).ToList();
            rows.Add(DecisionTable.Default[^1]);
            var baseline = new VouchConfiguration
            {
                Policy = new PolicyOptions { Mode = PolicyMode.Enforce, Rules = rows },
                Lists = Pick(ListChoices),
                Server = new PolicyServerOptions { Header = Pick(headers) },
                Registration = new RegistrationOptions { Enabled = random.Next(5) > 0 },
                Rmx = new Vouch.Rmx.RmxOptions { Enabled = random.Next(5) > 0 },
            };
            var checks = ChecksOptions.Default with { CheckHelo = random.Next(4) > 0 };
            var request = CheckRequest.Create(IPAddress.Parse(Pick(Clients)), Pick(Senders), Pick(Helos)) with
            {
                ConfirmedClientName = random.Next(6) == 0 ? "out.outbound.example" : null,
            };

            var (all, askedByAll) = await CheckAsync(baseline with { Checks = checks with { Gather = EvidenceGathering.All } }, request);
            var (decisive, askedDecisively) = await CheckAsync(baseline with { Checks = checks with { Gather = EvidenceGathering.Decisive } }, request);

            var context = $"seed {seed}: {request.Client} <{request.Sender.Text}> HELO '{request.Helo.Text}', rows {string.Join(",", rows.Select(r => r.When.ToToken()))}";
            Assert.True(Same(all.Decision, decisive.Decision), $"{context}: all gave {Describe(all.Decision)}, decisive {Describe(decisive.Decision)}");
            Assert.True(askedDecisively.IsSubsetOf(askedByAll), $"{context}: decisive asked {string.Join(", ", askedDecisively.Except(askedByAll))}");
            Assert.Equal(EvidencePieces.None, all.Evidence.Skipped);
            decidedBy.AddOrUpdate(decisive.Decision.Rule.When, 1, (_, n) => n + 1);
            Interlocked.Add(ref skippedSomething, decisive.Evidence.Skipped == EvidencePieces.None ? 0 : 1);
        }, iter: 1500);

        // Not vacuous: most rows decided somewhere, and most checks left something out.
        Assert.True(decidedBy.Count >= 12, $"only {string.Join(", ", decidedBy.Keys)} decided");
        Assert.True(skippedSomething > 300, $"only {skippedSomething} of 1,500 decisive checks skipped a piece");
    }

    public static TheoryData<string> Tables => ["default", "every placeholder first", "site rows first"];

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task EveryRequestOfTheWorldIsDecidedAlikeEitherWay(string table)
    {
        IReadOnlyList<DecisionRule> rows = table switch
        {
            "default" => DecisionTable.Default,
            "every placeholder first" => [ExtraRows[^1], .. DecisionTable.Default],
            _ => [.. ExtraRows[..^1], .. DecisionTable.Default],
        };
        foreach (var lists in new[] { ListChoices[0], ListChoices[4] })
        {
            var baseline = new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Enforce, Rules = rows }, Lists = lists, Server = new PolicyServerOptions { Header = TagHeader.None } };
            foreach (var client in Clients)
            {
                foreach (var sender in Senders)
                {
                    foreach (var helo in Helos)
                    {
                        var request = CheckRequest.Create(IPAddress.Parse(client), sender, helo);
                        var (all, _) = await CheckAsync(baseline with { Checks = ChecksOptions.Default with { Gather = EvidenceGathering.All } }, request);
                        var (decisive, _) = await CheckAsync(baseline with { Checks = ChecksOptions.Default with { Gather = EvidenceGathering.Decisive } }, request);
                        Assert.True(Same(all.Decision, decisive.Decision), $"{client} <{sender}> HELO '{helo}': all gave {Describe(all.Decision)}, decisive {Describe(decisive.Decision)}");
                    }
                }
            }
        }
    }

    private static bool Same(Decision a, Decision b) =>
        (a.Verdict, a.Action, a.EnforcedAction, a.Reason, a.SmtpReply, a.Rule) == (b.Verdict, b.Action, b.EnforcedAction, b.Reason, b.SmtpReply, b.Rule);

    private static string Describe(Decision decision) => $"{decision.Rule.When.ToToken()} {decision.Verdict} \"{decision.Reason}\"";

    [Fact]
    public async Task AnSpfPassAsksNeitherTheHeloRecordNorRegistrationNorReverseDns()
    {
        var request = CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "alice@example.com", "mail.example.com");

        var (outcome, asked) = await CheckAsync(Configuration(EvidenceGathering.Decisive), request);

        Assert.Equal(("spf_pass", Verdict.White), (outcome.Decision.Rule.When.ToToken(), outcome.Decision.Verdict));
        // The rows before spf_pass: Null MX (one MX question), SPF fail (the record), RMX denied (its TXT).
        Assert.Equal(["_rmx.example.com TXT", "example.com MX", "example.com TXT"], asked.Select(q => $"{q.Name} {q.Type}").Order(StringComparer.Ordinal));
        Assert.Equal(EvidencePieces.HeloSpf | EvidencePieces.Registration | EvidencePieces.Fcrdns, outcome.Evidence.Skipped);
        Assert.Equal((Evidence.NotAskedToken, Evidence.NotAskedToken, Evidence.NotAskedToken), (outcome.Evidence.ResultToken(EvidencePieces.HeloSpf), outcome.Evidence.ResultToken(EvidencePieces.Registration), outcome.Evidence.ResultToken(EvidencePieces.Fcrdns)));
    }

    [Fact]
    public async Task WhenSpfDoesNotDecideRegistrationAndTheHeloAreAskedAndDecide()
    {
        var request = CheckRequest.Create(IPAddress.Parse("198.51.100.41"), "postmaster@outbound.example", "mail.example.net");

        var (outcome, asked) = await CheckAsync(Configuration(EvidenceGathering.Decisive), request);

        Assert.Equal("mx_registered", outcome.Decision.Rule.When.ToToken());
        Assert.Contains(new DnsQuestion("mail.example.net", DnsRecordType.TXT), asked);
        Assert.Equal(RegistrationResultCode.Registered, outcome.Evidence.Registration.Code);
    }

    [Fact]
    public async Task TheHeaderConfiguredIsAlwaysFilled()
    {
        var request = CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "alice@example.com", "mail.example.com");

        var (authenticationResults, _) = await CheckAsync(Configuration(EvidenceGathering.Decisive, header: TagHeader.AuthenticationResults), request);
        var (rmxHeader, _) = await CheckAsync(Configuration(EvidenceGathering.Decisive, header: TagHeader.XRmx), request);

        Assert.Equal(EvidencePieces.None, authenticationResults.Evidence.Skipped & (EvidencePieces.HeloSpf | EvidencePieces.Fcrdns | EvidencePieces.Registration));
        Assert.Equal(FcrdnsResultCode.Fail, authenticationResults.Evidence.Fcrdns.Code);
        Assert.True(rmxHeader.Evidence.WasAsked(EvidencePieces.Rmx));
    }

    [Fact]
    public async Task AutoGathersAllInMonitorModeAndDecisivelyInEnforceMode()
    {
        var request = CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "alice@example.com", "mail.example.com");

        var (monitor, _) = await CheckAsync(Configuration(EvidenceGathering.Auto, PolicyMode.Monitor), request);
        var (enforce, _) = await CheckAsync(Configuration(EvidenceGathering.Auto, PolicyMode.Enforce), request);
        var (enforceAll, _) = await CheckAsync(Configuration(EvidenceGathering.All, PolicyMode.Enforce), request);

        Assert.Equal((EvidencePieces.None, true, EvidencePieces.None), (monitor.Evidence.Skipped, enforce.Evidence.Skipped != EvidencePieces.None, enforceAll.Evidence.Skipped));
        Assert.Equal((true, "mail.example.com has no TXT records (nodata)"), (monitor.Evidence.HeloSpf.WasChecked, monitor.Evidence.HeloSpf.Problem));
    }

    [Fact]
    public async Task WhatCostsNoQuestionIsReportedEvenWhenNotNeeded()
    {
        // A bounce: its HELO result is its MAIL FROM check; the MTA confirmed the client's name.
        var request = CheckRequest.Create(IPAddress.Parse("192.0.2.10"), "", "example.com") with { ConfirmedClientName = "mail.example.com" };

        var (outcome, _) = await CheckAsync(Configuration(EvidenceGathering.Decisive), request);

        Assert.Equal(("spf_pass", SpfResultCode.Pass, FcrdnsResultCode.Pass), (outcome.Decision.Rule.When.ToToken(), outcome.Evidence.HeloSpf.Code, outcome.Evidence.Fcrdns.Code));
    }

    [Fact]
    public async Task ATemporaryFailureStillDefersAndNamesWhatFailed()
    {
        var request = CheckRequest.Create(IPAddress.Parse("198.51.100.99"), "x@flaky.example", "dsl.isp.example");

        var (decisive, _) = await CheckAsync(Configuration(EvidenceGathering.Decisive), request);
        var (all, _) = await CheckAsync(Configuration(EvidenceGathering.All), request);

        Assert.Equal((PolicyAction.Defer, all.Decision.Reason), (decisive.Decision.Action, decisive.Decision.Reason));
        Assert.Contains("flaky.example", decisive.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchOutputListsWhatWasSkipped()
    {
        var config = Path.Combine(Path.GetTempPath(), $"vouch-decisive-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(config, "mode = \"enforce\"\n[checks]\ngather = \"decisive\"\n");
        try
        {
            var input = "{\"ip\":\"192.0.2.10\",\"sender\":\"alice@example.com\",\"helo\":\"mail.example.com\"}\n";

            var (exitCode, output, _) = await Vouch.Tests.Cli.CliRunner.RunWithInputAsync(input, "check", "--zone", Vouch.Tests.Cli.CliRunner.DemoZone, "--config", config, "--batch", "-");

            Assert.Equal(0, exitCode);
            using var answer = JsonDocument.Parse(output);
            Assert.Equal(["helo_spf", "registration", "fcrdns"], answer.RootElement.GetProperty("skipped").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(("not_asked", "pass"), (answer.RootElement.GetProperty("registration").GetProperty("result").GetString(), answer.RootElement.GetProperty("spf").GetProperty("result").GetString()));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
