using System.Net;
using CsCheck;
using Vouch.Spf;
using Vouch.Tests.Support;

namespace Vouch.Tests.Properties;

/// <summary>
/// Random and mutated records, macros and DNS answers: the engine always returns a result, never throws,
/// never runs past its limits, and never hangs (each check runs under a generous cancellation deadline).
/// </summary>
public sealed class SpfPropertyTests
{
    private static readonly string[] Tokens =
    [
        "a", "mx", "ptr", "all", "include:", "exists:", "ip4:", "ip6:", "redirect=", "exp=", "-", "~", "?", "+",
        "%{", "}", "%%", "%_", "%-", "%", "/", "//", "24", "0", "33", "128", ":", "example.com", ".", "l", "d", "i", "p",
        "r", "1", "2001:db8::", "192.0.2.1", "=", "\r", " ", "  ", "é", "x-unknown=", "{", "v=spf1", "_spf", "-all",
    ];

    private static readonly string[] ValidRecords =
    [
        "v=spf1 mx a:mail.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 -all",
        "v=spf1 include:_spf.example.net include:spf.example.org ~all",
        "v=spf1 exists:%{ir}.%{l1r-}._spf.%{d} ?all exp=why.%{d}",
        "v=spf1 ptr:example.com a/24//64 mx:example.net/28 redirect=_spf.example.com",
        "v=spf1 -all",
        "v=spf1 redirect=%{d2}",
    ];

    private static readonly Gen<string> RecordText =
        Gen.Int[0, 25].SelectMany(count => Gen.Int[0, Tokens.Length - 1].Array[count])
            .Select(indexes => "v=spf1 " + string.Concat(indexes.Select(i => Tokens[i])));

    private static readonly Gen<string> MutatedRecord =
        Gen.Select(Gen.Int[0, ValidRecords.Length - 1], Gen.Int[1, 6].SelectMany(n => Gen.Select(Gen.Int[0, 2], Gen.Int[0, 200], Gen.Char[" %{}:/=.-~+?\r\u00e9abcdilrsv0123456789"]).Array[n]))
            .Select((index, mutations) =>
            {
                var text = ValidRecords[index];
                foreach (var (operation, position, character) in mutations)
                {
                    var at = text.Length == 0 ? 0 : position % text.Length;
                    text = operation switch
                    {
                        0 => text.Insert(at, character.ToString()),
                        1 when text.Length > 0 => text.Remove(at, 1),
                        _ when text.Length > 0 => text.Remove(at, 1).Insert(at, character.ToString()),
                        _ => text,
                    };
                }

                return text;
            });

    private static readonly Gen<string> MacroText =
        Gen.Char["%{}slodiphcrtvSLODIPHCRTV0123456789r.-+,/_= ab"].Array[0, 30].Select(chars => new string(chars));

    [Fact]
    public void RandomRecordsParseOrReportAnErrorWithAPosition() =>
        RecordText.Sample(text =>
        {
            var valid = SpfRecord.TryParse(text, out var record, out var error);
            Assert.Equal(valid, record is not null);
            Assert.Equal(valid, error is null);
            if (!valid)
            {
                Assert.InRange(error!.Column, 1, text.Length + 1);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }
        }, iter: 5000);

    [Fact]
    public void RandomMacrosParseAndExpandWithoutThrowing()
    {
        var ipv4 = new MacroContext("a@b.example", "a", "b.example", "b.example", IPAddress.Parse("192.0.2.1"), "h.example", null, "r.example", 1);
        var ipv6 = ipv4 with { Address = IPAddress.Parse("2001:db8::1"), ValidatedName = "p.example" };
        MacroText.Sample(text =>
        {
            foreach (var isExplanation in new[] { false, true })
            {
                if (MacroString.TryParse(text, 1, isExplanation, out var macro, out _))
                {
                    Assert.NotNull(macro!.Expand(ipv4));
                    Assert.NotNull(macro.Expand(ipv6));
                    _ = macro.CheckDomainEnd();
                }
            }
        }, iter: 5000);
    }

    [Fact]
    public async Task MutatedRecordsAndHostileDnsAlwaysGiveABoundedResult()
    {
        var clients = new[] { "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "198.51.100.77" };
        await Gen.Select(MutatedRecord, RecordText, Gen.Int, Gen.Int[0, clients.Length - 1]).SampleAsync(async (mutated, random, seed, clientIndex) =>
        {
            var resolver = new ChaosResolver(seed, [mutated, random, .. ValidRecords, "v=spf1 include:%{d}.loop -all", "not spf", "%{i} denied"]);
            var checker = new SpfChecker(resolver);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await checker.CheckMailFromAsync(IPAddress.Parse(clients[clientIndex]), "user@example.com", "mail.example.com", deadline.Token);

            Assert.True(Enum.IsDefined(result.Code));
            Assert.InRange(result.DnsLookups, 0, 11);
            Assert.InRange(result.VoidLookups, 0, 3);
            Assert.DoesNotContain("internal error", result.Problem ?? "", StringComparison.Ordinal);
            if (result.Code == SpfResultCode.Fail)
            {
                Assert.NotNull(result.Explanation);
            }
        }, iter: 3000, threads: 1);
    }
}
