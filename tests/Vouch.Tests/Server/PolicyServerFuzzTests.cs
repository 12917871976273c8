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

/// <summary>Random and mutated request streams: the service never throws, never hangs, and answers only well-formed requests.</summary>
public sealed class PolicyServerFuzzTests
{
    private static readonly string Valid =
        "request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=203.0.113.66\nhelo_name=spoofer.example.net\nsender=alice@example.com\ninstance=f1\n\n";

    [Fact]
    public async Task MalformedStreamsNeverCrashTheService()
    {
        var zone = new ZoneData();
        await zone.LoadFileAsync(CliRunner.DemoZone, null, CancellationToken.None);
        var checker = new SenderChecker(new ZoneResolver(zone), TestSuffixes.List, new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Enforce } });
        var server = new PolicyServer(new PolicyResponder(checker), new PolicyServerOptions { MaxRequestBytes = 4096 });

        var mutated = Gen.Select(ByteMutations.Edits, Gen.Int[1, 4])
            .Select((edits, copies) => ByteMutations.Apply(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Valid, copies))), edits));
        var random = Gen.Byte.Array[0, 6000];

        await Gen.OneOf(mutated, random).SampleAsync(async input =>
        {
            using var output = new MemoryStream();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.ServeConnectionAsync(new MemoryStream(input), output, "fuzz", deadline.Token);
            var answers = Encoding.UTF8.GetString(output.ToArray());
            Assert.False(deadline.IsCancellationRequested, "the connection did not end");
            Assert.All(answers.Split("\n\n", StringSplitOptions.RemoveEmptyEntries), a => Assert.StartsWith("action=", a, StringComparison.Ordinal));
        }, iter: 1500, threads: 1);

        using var after = new MemoryStream();
        // A fresh instance id: the fuzzed streams may have cached an answer for "f1" from a mutated request.
        await server.ServeConnectionAsync(new MemoryStream(Encoding.UTF8.GetBytes(Valid.Replace("instance=f1", "instance=after", StringComparison.Ordinal))), after, "after", CancellationToken.None);
        Assert.StartsWith("action=550 5.7.23 ", Encoding.UTF8.GetString(after.ToArray()), StringComparison.Ordinal);
    }
}
