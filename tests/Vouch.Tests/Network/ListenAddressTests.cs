using System.Net;
using System.Net.Sockets;
using Vouch.Network;

namespace Vouch.Tests.Network;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:10041", "127.0.0.1:10041")]
    [InlineData("127.0.0.1", "127.0.0.1:10040")]
    [InlineData("[::1]:25", "[::1]:25")]
    [InlineData("unix:/run/vouch/policy.sock", "unix:/run/vouch/policy.sock")]
    public void AnAddressReadsAsItIsWrittenWithTheDefaultPortWhenNoneIsGiven(string text, string written)
    {
        Assert.True(ListenAddress.TryParse(text, 10040, out var endpoint, out var problem), problem);
        Assert.Equal(written, ListenAddress.ToText(endpoint!));
        Assert.Equal(text.StartsWith("unix:", StringComparison.Ordinal), endpoint is UnixDomainSocketEndPoint);
    }

    [Theory]
    [InlineData("unix:", "is 'unix:' without a path; expected e.g. unix:/run/vouch/policy.sock")]
    [InlineData("mail.example.com:25", "(or unix:/path)")]
    [InlineData("127.0.0.1:0x19", "(or unix:/path)")]
    public void AWrongAddressSaysWhatWasExpected(string text, string problem)
    {
        Assert.False(ListenAddress.TryParse(text, 10040, out var endpoint, out var actual));
        Assert.Null(endpoint);
        Assert.EndsWith(problem, actual, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultIsTheLoopbackPolicyPort() =>
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 10040), new Vouch.Configuration.PolicyServerOptions().Listen);
}
