using System.Net;
using Vouch.Dns.Wire;

namespace Vouch.Tests.Dns.Wire;

public sealed class ResolvConfReaderTests
{
    [Fact]
    public void NameserverLinesGiveTheServersInOrderOnPort53()
    {
        const string text = """
            # written by a DHCP client
            ; another comment
            search example.test
            nameserver 192.0.2.53
            nameserver	2001:db8::53 # a trailing comment
            nameserver fe80::1%1;also a comment
            nameserver 192.0.2.53
            options edns0 trust-ad
            """;

        var servers = ResolvConfReader.Parse(text);

        Assert.Equal(["192.0.2.53:53", "[2001:db8::53]:53", "[fe80::1%1]:53"], servers.Select(s => s.ToString()));
    }

    [Theory]
    [InlineData("#nameserver 192.0.2.1")]
    [InlineData(";nameserver 192.0.2.1")]
    [InlineData(" nameserver 192.0.2.1")]
    [InlineData("nameservers 192.0.2.1")]
    [InlineData("nameserver")]
    [InlineData("nameserver ")]
    [InlineData("nameserver ns.example.test")]
    [InlineData("nameserver 192.0.2.300")]
    [InlineData("nameserver 0.0.0.0")]
    [InlineData("nameserver ::")]
    [InlineData("nameserver fec0:0:0:ffff::1")]
    public void WhatIsNotANameserverLineWithAUsableAddressIsLeftOut(string line)
    {
        Assert.Empty(ResolvConfReader.Parse($"{line}\nnameserver x\n"));
    }

    [Fact]
    public void AnInterfaceNameIsAScope()
    {
        var server = Assert.Single(ResolvConfReader.Parse("nameserver fe80::53%lo\r\n"));

        Assert.Equal(IPAddress.Parse("fe80::53%lo"), server.Address);
        Assert.NotEqual(0, server.Address.ScopeId);
    }

    [Fact]
    public void AMissingFileHasNoServers()
    {
        Assert.Empty(ResolvConfReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "resolv.conf")));
    }

    [Fact]
    public void TheResolverWithoutServersAsksThoseOfTheSystem()
    {
        var system = ResolvConfReader.Read(ResolvConfReader.DefaultPath);
        if (system.Count == 0)
        {
            Assert.Throws<InvalidOperationException>(() => new NetworkResolver());
            return;
        }

        using var resolver = new NetworkResolver();

        Assert.Equal(string.Join(", ", system), resolver.Servers);
    }
}
