using System.Net;
using System.Net.Sockets;
using Vouch.Dns;
using Vouch.Dns.Wire;
using Vouch.Tests.Support;

namespace Vouch.Tests.Dns.Wire;

/// <summary>
/// The network resolver against a scripted server: an answer reached through a CNAME chain names the owner of its
/// records, whether the chain stays in one reply or leaves it and is asked for again; a direct answer names none.
/// </summary>
public sealed class NetworkResolverCanonicalNameTests
{
    private const int TypeCname = 5;

    /// <summary>
    /// direct → A; two → CNAME mx → CNAME HOST (upper case on the wire) → A, all in one reply; away → CNAME
    /// far.example.net only, as an authoritative server for example.test answers; far.example.net → A.
    /// </summary>
    private static IEnumerable<byte[]> Script(byte[] query)
    {
        var reply = DnsMessageBuilder.NameOf(query).ToLowerInvariant() switch
        {
            "direct.example.test" => DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.1"),
            "two.example.test" => DnsMessageBuilder.ReplyTo(query, answers: 3)
                .Record([0xC0, 0x0C], TypeCname, 300, DnsMessageBuilder.Name("mx.example.test"))
                .Record(DnsMessageBuilder.Name("mx.example.test"), TypeCname, 300, DnsMessageBuilder.Name("HOST.example.test"))
                .Record(DnsMessageBuilder.Name("host.example.test"), 1, 300, IPAddress.Parse("192.0.2.10").GetAddressBytes()),
            "away.example.test" => DnsMessageBuilder.ReplyTo(query, answers: 1)
                .Record([0xC0, 0x0C], TypeCname, 300, DnsMessageBuilder.Name("far.example.net")),
            "far.example.net" => DnsMessageBuilder.ReplyTo(query, answers: 1).A("192.0.2.20"),
            _ => DnsMessageBuilder.ReplyTo(query, rcode: 3),
        };
        return [reply.ToArray()];
    }

    private static async Task<DnsAnswer<IPAddress>> LookupAsync(string name)
    {
        await using var server = ScriptedDnsServer.Start(Script);
        await using var resolver = new NetworkResolver(new NetworkResolverOptions { Servers = [server.Endpoint], Timeout = TimeSpan.FromSeconds(10), Retries = 0 });
        return await resolver.LookupAddressesAsync(name, AddressFamily.InterNetwork, CancellationToken.None);
    }

    [Fact]
    public async Task ADirectAnswerHasNoCanonicalName()
    {
        var answer = await LookupAsync("direct.example.test");

        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(answer.Records));
        Assert.Null(answer.CanonicalName);
    }

    [Fact]
    public async Task AChainInsideTheReplyNamesItsEndInLowerCase()
    {
        var answer = await LookupAsync("two.example.test");

        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.Single(answer.Records));
        Assert.Equal("host.example.test", answer.CanonicalName);
    }

    [Fact]
    public async Task AChainThatLeavesTheReplyIsAskedAgainAndNamesItsEnd()
    {
        var answer = await LookupAsync("away.example.test");

        Assert.Equal(IPAddress.Parse("192.0.2.20"), Assert.Single(answer.Records));
        Assert.Equal("far.example.net", answer.CanonicalName);
    }
}
