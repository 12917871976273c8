using System.Net;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns.Zones;
using Vouch.Headers;
using Vouch.Smtp;
using Vouch.Tests.Cli;
using Vouch.Tests.Support;

namespace Vouch.Tests.Headers;

public sealed class AuthenticationResultsHeaderTests
{
    private static async Task<string> HeaderAsync(string ip, string sender, string? helo)
    {
        var zone = new ZoneData();
        await zone.LoadFileAsync(CliRunner.DemoZone, null, CancellationToken.None);
        var checker = new SenderChecker(new ZoneResolver(zone), TestSuffixes.List, VouchConfiguration.Default);
        var outcome = await checker.CheckAsync(CheckRequest.Create(IPAddress.Parse(ip), sender, helo), CancellationToken.None);
        return AuthenticationResultsHeader.Format(outcome, "mx.receiver.example");
    }

    [Theory]
    [InlineData("203.0.113.66", "iprev=permerror policy.iprev=203.0.113.66")] // RFC 8601 §2.7.3: no PTR data published
    [InlineData("203.0.113.99", "iprev=fail policy.iprev=203.0.113.99")] // a PTR name that does not resolve back
    [InlineData("198.51.100.41", "iprev=pass policy.iprev=198.51.100.41 (out2.mailout.example)")]
    public async Task IprevSaysWhatTheReverseDnsFound(string ip, string expected)
    {
        var header = await HeaderAsync(ip, "carol@example.net", "h.example.net");

        Assert.Contains(expected, header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientWithoutHeloHasNoHeloClause()
    {
        var header = await HeaderAsync("192.0.2.10", "alice@example.com", null);

        Assert.StartsWith("Authentication-Results: mx.receiver.example; spf=pass smtp.mailfrom=alice@example.com; iprev=", header, StringComparison.Ordinal);
        Assert.DoesNotContain("smtp.helo", header, StringComparison.Ordinal);
    }
}
