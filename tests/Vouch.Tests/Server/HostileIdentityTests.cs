using System.Text;
using CsCheck;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns.Zones;
using Vouch.Policy;
using Vouch.Server;
using Vouch.Tests.Cli;
using Vouch.Tests.Support;

namespace Vouch.Tests.Server;

/// <summary>
/// What an SMTP client sends is judged, never skipped: over the policy protocol in enforce mode, an
/// unregistered client is refused whatever it puts in HELO and MAIL FROM, and a registered sender is not
/// refused for a broken HELO.
/// </summary>
public sealed class HostileIdentityTests
{
    /// <summary>A home connection of the demo zone: no domain vouches for it.</summary>
    private const string Unregistered = "203.0.113.99";

    private static readonly string LongHelo = new('h', 300);
    private static readonly string LongSender = new string('l', 280) + "@example.net";

    private static async Task<PolicyResponder> ResponderAsync(TextWriter? log = null, Func<PolicyOptions, PolicyOptions>? adjust = null)
    {
        var zone = new ZoneData();
        await zone.LoadFileAsync(CliRunner.DemoZone, null, CancellationToken.None);
        var policy = new PolicyOptions { Mode = PolicyMode.Enforce };
        var configuration = new VouchConfiguration { Policy = adjust?.Invoke(policy) ?? policy };
        return new PolicyResponder(new SenderChecker(new ZoneResolver(zone), TestSuffixes.List, configuration), new PolicyServerOptions { HostName = "mx.receiver.example" }, log);
    }

    /// <summary>A policy request; a null <paramref name="helo"/> or <paramref name="sender"/> leaves the attribute out, as Postfix does before HELO.</summary>
    private static string Request(string client, string? sender, string? helo, string instance)
    {
        var text = new StringBuilder("request=smtpd_access_policy\nprotocol_state=RCPT\n");
        text.Append("client_address=").Append(client).Append('\n');
        if (helo is not null)
        {
            text.Append("helo_name=").Append(helo).Append('\n');
        }

        if (sender is not null)
        {
            text.Append("sender=").Append(sender).Append('\n');
        }

        return text.Append("instance=").Append(instance).Append("\n\n").ToString();
    }

    private static Task<string> ServeAsync(PolicyResponder responder, string input) => PolicyConversation.ServeAsync(responder, input);

    public static TheoryData<string, string, string?, string?> HostileIdentities => new()
    {
        { "no helo_name attribute", Unregistered, "carol@example.net", null },
        { "empty HELO", Unregistered, "carol@example.net", "" },
        { "HELO with spaces", Unregistered, "carol@example.net", "my mail server" },
        { "HELO with a tab", Unregistered, "carol@example.net", "mail\texample.net" },
        { "HELO of 300 characters", Unregistered, "carol@example.net", LongHelo },
        { "non-ASCII HELO", Unregistered, "carol@example.net", "m\u00e4il.example.net" },
        { "bare IP as HELO", Unregistered, "carol@example.net", Unregistered },
        { "another host's address literal", Unregistered, "carol@example.net", "[192.0.2.10]" },
        { "IPv6 address literal", Unregistered, "carol@example.net", "[IPv6:2001:db8::1]" },
        { "quoted local part with a space", Unregistered, "\"john doe\"@example.net", "dsl-203-0-113-99.isp.example" },
        { "local part with a space, Postfix's internal form", Unregistered, "john doe@example.net", "dsl-203-0-113-99.isp.example" },
        { "sender without a domain", Unregistered, "carol", "dsl-203-0-113-99.isp.example" },
        { "sender @domain", Unregistered, "@example.net", "dsl-203-0-113-99.isp.example" },
        { "sender with an address-literal domain", Unregistered, "carol@[203.0.113.99]", "dsl-203-0-113-99.isp.example" },
        { "sender over 256 characters", Unregistered, LongSender, "dsl-203-0-113-99.isp.example" },
        { "sender with control characters", Unregistered, "car\u0001ol@example.net", "dsl-203-0-113-99.isp.example" },
        { "bounce with a garbage HELO", Unregistered, "", "!!! garbage !!!" },
        { "bounce without HELO", Unregistered, "", null },
        { "bounce without any identity attribute", Unregistered, null, null },
        { "IPv4-mapped client", "::ffff:" + Unregistered, "carol@example.net", "bad host" },
    };

    [Theory]
    [MemberData(nameof(HostileIdentities))]
    public async Task AnUnregisteredClientIsRefusedWhateverItsIdentities(string what, string client, string? sender, string? helo)
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(log);

        var answer = await ServeAsync(responder, Request(client, sender, helo, "h1"));

        Assert.True(answer.StartsWith("action=550 5.", StringComparison.Ordinal), $"{what}: {answer}");
        Assert.Contains("vouch: decision ", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("skipped", log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("my mail server")]
    [InlineData("JUMPIN' JUPITER")]
    [InlineData("192.0.2.10")]
    [InlineData("[192.0.2.99]")]
    public async Task ARegisteredSenderWithABrokenHeloIsNotRefused(string? helo)
    {
        // 192.0.2.10 is in example.com's ip4:192.0.2.0/28.
        var answer = await ServeAsync(await ResponderAsync(), Request("192.0.2.10", "alice@example.com", helo, "r1"));

        Assert.StartsWith("action=PREPEND Received-SPF: pass ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIdentityRowsDecideWhenASiteGivesThemAnAction()
    {
        var rows = DecisionTable.IdentityRows.Select(row => row.When == RuleCondition.HeloMissing ? row : row with { Action = PolicyAction.Defer, StatusCode = "4" + row.StatusCode[1..] });
        var responder = await ResponderAsync(adjust: policy => policy with { Rules = [.. rows, .. policy.Rules] });

        var missing = await ServeAsync(responder, Request("192.0.2.10", "alice@example.com", null, "i1"));
        var malformed = await ServeAsync(responder, Request("192.0.2.10", "alice@example.com", "my mail server", "i2"));
        var mismatch = await ServeAsync(responder, Request("192.0.2.10", "alice@example.com", "[192.0.2.99]", "i3"));
        var own = await ServeAsync(responder, Request("192.0.2.10", "alice@example.com", "[192.0.2.10]", "i4"));
        var sender = await ServeAsync(responder, Request("192.0.2.10", "al\u0007ice@example.com", "mail.example.com", "i5"));

        Assert.StartsWith("action=550 5.5.1 the client at 192.0.2.10 gave no HELO/EHLO name", missing, StringComparison.Ordinal);
        Assert.StartsWith("action=451 4.5.2 HELO 'my mail server' is not a valid host name: not a domain name", malformed, StringComparison.Ordinal);
        Assert.StartsWith("action=451 4.7.1 HELO [192.0.2.99] is an address literal that is not the client's address 192.0.2.10", mismatch, StringComparison.Ordinal);
        Assert.StartsWith("action=PREPEND Received-SPF: pass ", own, StringComparison.Ordinal);
        Assert.StartsWith("action=451 4.1.7 sender <al ice@example.com> is not a valid address: control characters in the local part", sender, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIdentityFindingsShowInTheLogLineAndTheHeaderComment()
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(log);

        var answer = await ServeAsync(responder, Request("192.0.2.10", "alice@example.com", "bad host", "f1"));

        Assert.Contains("helo=badhost sender=<alice@example.com> identity=helo_malformed spf=pass", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("; identity helo_malformed)", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("192.0.2.300")]
    public async Task ARequestWithoutAReadableClientAddressIsTheClientUnreadableRow(string? client)
    {
        using var log = new StringWriter();
        var input = client is null
            ? "request=smtpd_access_policy\nprotocol_state=RCPT\nhelo_name=mail.example.com\nsender=alice@example.com\ninstance=u1\n\n"
            : Request(client, "alice@example.com", "mail.example.com", "u1");

        var byDefault = await ServeAsync(await ResponderAsync(log), input);
        var configured = await ServeAsync(
            await ResponderAsync(adjust: policy => policy with { Rules = [DecisionTable.ClientUnreadable with { Action = PolicyAction.Reject, StatusCode = "5.3.5" }, .. policy.Rules] }),
            input);

        Assert.StartsWith("action=451 4.3.5 cannot check this client: the policy request's client_address is unreadable (ip: ", byDefault, StringComparison.Ordinal);
        Assert.StartsWith("action=550 5.3.5 cannot check this client: ", configured, StringComparison.Ordinal);
        Assert.Contains("verdict=grey action=defer enforced=defer mode=enforce rule=client_unreadable", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InMonitorModeAnUnreadableRequestPassesAndIsLogged()
    {
        using var log = new StringWriter();
        var responder = await ResponderAsync(log, policy => policy with { Mode = PolicyMode.Monitor });

        var answer = await ServeAsync(responder, Request("not-an-address", "alice@example.com", "mail.example.com", "u2"));

        Assert.Equal("action=DUNNO\n\n", answer);
        Assert.Contains("verdict=grey action=tag enforced=defer mode=monitor rule=client_unreadable", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Any text Postfix can pass in an attribute: no NUL, no LF.</summary>
    private static readonly Gen<string> AttributeText =
        Gen.OneOf(
            Gen.Char.Where(c => c is not '\0' and not '\n' && !char.IsSurrogate(c)).Array[0, 40].Select(chars => new string(chars)),
            Gen.Char["abc.-_@[]:\"\\ \t\r<>%{}0123456789IPv6"].Array[0, 60].Select(chars => new string(chars)),
            Gen.Int[250, 400].Select(length => new string('x', length) + ".example"));

    [Fact]
    public async Task RandomHeloAndSenderTextForAnUnregisteredClientIsNeverAccepted()
    {
        var responder = await ResponderAsync();
        var instance = 0;
        await Gen.Select(AttributeText, AttributeText).SampleAsync(async (helo, sender) =>
        {
            var answer = await ServeAsync(responder, Request(Unregistered, sender, helo, "p" + Interlocked.Increment(ref instance)));
            Assert.True(answer.StartsWith("action=550 5.", StringComparison.Ordinal), $"HELO '{helo}', sender '{sender}': {answer}");
        }, iter: 500);
    }
}
