using System.Net;
using Vouch.Dns;
using Vouch.Registration;
using Vouch.Tests.Support;

namespace Vouch.Tests.Registration;

/// <summary>The candidates' detail texts (JSON "detail", explain), made from what was seen only when read.</summary>
public sealed class RegistrationCandidateDetailTests
{
    private static async Task<string[]> DetailsAsync(TestZone zone, string ip, string sender, string helo, RegistrationOptions? options = null)
    {
        var resolver = zone.Resolver();
        var client = IPAddress.Parse(ip);
        var fcrdns = new FcrdnsCheck(resolver, options).CheckAsync(client, CancellationToken.None);
        var result = await new MxRegistrationCheck(resolver, TestSuffixes.List, options).CheckAsync(client, Vouch.Smtp.ReversePath.Parse(sender), Vouch.Smtp.HeloName.Parse(helo), () => fcrdns, CancellationToken.None);
        var details = new List<string>();
        foreach (var candidate in result.Candidates)
        {
            var formatted = new char[1024];
            Assert.True(candidate.TryFormatDetail(formatted, out var written));
            Assert.False(candidate.TryFormatDetail(new char[5], out _));
            Assert.Equal(new string(formatted, 0, written), candidate.Detail);
            details.Add(candidate.Detail);
        }

        return [.. details];
    }

    private static TestZone Shop() => new TestZone()
        .Mx("shop.example", 10, "mx.shop.example").A("mx.shop.example", "192.0.2.5", "192.0.2.6")
        .Mx("mailout.example", 10, "out1.mailout.example").Mx("mailout.example", 20, "out2.mailout.example")
        .A("out1.mailout.example", "198.51.100.40").A("out2.mailout.example", "198.51.100.41");

    [Fact]
    public async Task EachHostWithItsAddressesThenHowItEnded() =>
        Assert.Equal(
            [
                "MX 10 mx.shop.example (192.0.2.5, 192.0.2.6); 198.51.100.41 is not among them",
                "no MX records (nodata)",
                "MX 10 out1.mailout.example (198.51.100.40); 20 out2.mailout.example (198.51.100.41); 198.51.100.41 matches out2.mailout.example",
            ],
            await DetailsAsync(Shop(), "198.51.100.41", "orders@shop.example", "out1.mailout.example"));

    [Fact]
    public async Task ABudgetSpentBeforeTheHostsSaysSo() =>
        Assert.Equal(
            ["MX 10 mx.shop.example (192.0.2.5, 192.0.2.6); 198.51.100.41 is not among them", "no MX records (nodata)", "MX query budget spent before every MX host was looked up"],
            await DetailsAsync(Shop(), "198.51.100.41", "orders@shop.example", "out1.mailout.example", new RegistrationOptions { QueryBudget = 4 }));

    [Fact]
    public async Task AFailedAddressLookupIsNamed() =>
        Assert.Equal(
            ["MX 10 mx.shop.example (timeout); address lookup for mx.shop.example failed: timeout injected for mx.shop.example"],
            await DetailsAsync(new TestZone().Mx("shop.example", 10, "mx.shop.example").Fail("mx.shop.example", DnsStatus.Timeout, DnsRecordType.A), "192.0.2.9", "a@shop.example", "[192.0.2.9]"));

    [Fact]
    public async Task AnImplicitMxIsNamed() =>
        Assert.Equal(
            ["no MX; implicit MX (RFC 5321 §5.1): 0 plain.example (192.0.2.7); 192.0.2.7 matches plain.example"],
            await DetailsAsync(new TestZone().A("plain.example", "192.0.2.7"), "192.0.2.7", "a@plain.example", "[192.0.2.7]", new RegistrationOptions { ImplicitMx = true }));
}
