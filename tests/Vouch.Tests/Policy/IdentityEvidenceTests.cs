using System.Net;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Policy;

/// <summary>Each check judges the identities it is given, as RFC 7208 says, whatever they are.</summary>
public sealed class IdentityEvidenceTests
{
    private static TestZone World() => new TestZone()
        .Txt("example.com", "v=spf1 ip4:192.0.2.0/28 -all")
        .Txt("e9.example.com", "v=spf1 a:%{h}.example.com -all")
        .Txt("mail.example.com", "v=spf1 ip4:192.0.2.0/28 -all")
        .Mx("mailout.example", 10, "out.mailout.example").A("out.mailout.example", "198.51.100.41")
        .Ptr("198.51.100.41", "out.mailout.example")
        .Txt("_rmx.example.com", "ipv4:192.0.2.0/28");

    private static async Task<CheckOutcome> CheckAsync(string ip, string? sender, string? helo)
    {
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Enforce } };
        return await new SenderChecker(World().Resolver(), TestSuffixes.List, configuration).CheckAsync(CheckRequest.Create(IPAddress.Parse(ip), sender, helo), CancellationToken.None);
    }

    [Theory]
    [InlineData(null, "the client gave no HELO name")]
    [InlineData("[192.0.2.10]", "is an address literal")]
    [InlineData("my mail server", "is not a multi-label domain name")]
    [InlineData("OEMCOMPUTER", "is not a multi-label domain name")]
    public async Task AHeloThatIsNotADomainHasNoHeloIdentityButMailFromStillDecides(string? helo, string problem)
    {
        var outcome = await CheckAsync("192.0.2.10", "alice@example.com", helo);

        Assert.Equal(SpfResultCode.None, outcome.HeloSpf.Code);
        Assert.Contains(problem, outcome.HeloSpf.Problem, StringComparison.Ordinal);
        Assert.Equal(0, outcome.HeloSpf.DnsLookups);
        Assert.Equal((SpfResultCode.Pass, Verdict.White), (outcome.MailFromSpf.Code, outcome.Decision.Verdict));
    }

    [Fact]
    public async Task MacrosExpandTheHeloAsReceived()
    {
        // RFC 7208 §7.3 / the suite's invalid-hello-macro: %{h} of an invalid HELO makes a name that does not exist.
        var outcome = await CheckAsync("192.0.2.10", "test@e9.example.com", "JUMPIN' JUPITER");

        Assert.Equal(SpfResultCode.Fail, outcome.MailFromSpf.Code);
    }

    [Theory]
    [InlineData("@example.com", SpfResultCode.Pass, "postmaster@example.com")]
    [InlineData("john doe@example.com", SpfResultCode.Pass, "john doe@example.com")]
    [InlineData("carol", SpfResultCode.None, "postmaster@carol")]
    [InlineData("example.com", SpfResultCode.Pass, "postmaster@example.com")]
    [InlineData("carol@", SpfResultCode.None, "carol@")]
    [InlineData("carol@my_host.example", SpfResultCode.None, "carol@my_host.example")]
    [InlineData("foo@[192.0.2.10]", SpfResultCode.None, "foo@[192.0.2.10]")]
    public async Task MailFromSpfRunsOnTheSendersDomainWhateverTheLocalPart(string sender, SpfResultCode code, string checkedSender)
    {
        var outcome = await CheckAsync("192.0.2.10", sender, "mail.example.com");

        Assert.Equal((code, checkedSender), (outcome.MailFromSpf.Code, outcome.MailFromSpf.Sender));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!! garbage !!!")]
    [InlineData("[198.51.100.41]")]
    public async Task ABounceWithAnUnusableHeloHasNoSpfIdentityButThePtrRouteStillRegisters(string? helo)
    {
        var outcome = await CheckAsync("198.51.100.41", "", helo);

        Assert.Equal(SpfResultCode.None, outcome.MailFromSpf.Code);
        Assert.StartsWith("a bounce, and ", outcome.MailFromSpf.Problem, StringComparison.Ordinal);
        Assert.Equal((RegistrationResultCode.Registered, RegistrationRoute.Ptr), (outcome.Evidence.Registration.Code, outcome.Evidence.Registration.Via));
        Assert.Equal(Verdict.White, outcome.Decision.Verdict);
    }

    [Fact]
    public async Task ABounceWithAnUnusableHeloIsRefusedWhenNothingVouches()
    {
        var outcome = await CheckAsync("203.0.113.99", "", "garbage garbage");

        Assert.Equal((Verdict.Black, PolicyAction.Reject), (outcome.Decision.Verdict, outcome.Decision.EnforcedAction));
        Assert.Equal(RmxResultCode.NoRmx, outcome.Evidence.Rmx.Code);
    }

    [Fact]
    public async Task AMalformedSendersRmxAndListsStillRunOnItsDomain()
    {
        var outcome = await CheckAsync("192.0.2.10", "\u0007bad@example.com", "mail.example.com");

        Assert.Equal(RmxResultCode.Granted, outcome.Evidence.Rmx.Code);
        Assert.Equal([RuleCondition.SenderMalformed], PolicyEngine.IdentityFindings(outcome.Evidence));
    }

    [Theory]
    [InlineData("[192.0.2.10]", new RuleCondition[0])]
    [InlineData("[192.0.2.11]", new[] { RuleCondition.HeloLiteralMismatch })]
    [InlineData("[IPv6:::ffff:192.0.2.10]", new RuleCondition[0])]
    [InlineData("[x400:c=us]", new[] { RuleCondition.HeloLiteralMismatch })]
    [InlineData(null, new[] { RuleCondition.HeloMissing })]
    [InlineData("bad host", new[] { RuleCondition.HeloMalformed })]
    public async Task TheIdentityRowsHoldForWhatTheHeloIs(string? helo, RuleCondition[] findings)
    {
        var outcome = await CheckAsync("192.0.2.10", "alice@example.com", helo);

        Assert.Equal(findings, PolicyEngine.IdentityFindings(outcome.Evidence));
    }
}
