using System.Net.Sockets;
using System.Text;

namespace Vouch.Tests.EndToEnd;

/// <summary>`vouch serve` as a process, reloaded by a real SIGHUP: the new configuration answers, a bad one is refused and the running one kept.</summary>
public sealed class ServeReloadTests
{
    /// <summary>No client address: the client_unreadable row answers, without any DNS question.</summary>
    private static string Unreadable(string instance) =>
        $"request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=not-an-address\nhelo_name=h.example\nsender=a@example.com\ninstance={instance}\n\n";

    private static async Task<string> AskAsync(int port, string instance)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Unreadable(instance)));
        var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
    }

    [Fact]
    public async Task SighupLoadsTheNewConfigurationAndRefusesABadOne()
    {
        await using var vouch = await VouchServeProcess.StartAsync("mode = \"monitor\"\n", "127.0.0.1:9");
        var before = await AskAsync(vouch.Port, "r1");

        await vouch.ReloadAsync("mode = \"enforce\"\n");
        Assert.NotNull(await vouch.WaitForLogLineAsync(line => line.Contains("vouch: configuration reloaded", StringComparison.Ordinal)));
        var after = await AskAsync(vouch.Port, "r2");

        await vouch.ReloadAsync("mode = \"enforced\"\n");
        Assert.NotNull(await vouch.WaitForLogLineAsync(line => line.Contains("vouch: reload refused, keeping the running configuration", StringComparison.Ordinal)));
        var kept = await AskAsync(vouch.Port, "r3");

        Assert.Equal("action=DUNNO", before);
        Assert.StartsWith("action=451 4.3.5 cannot check this client", after, StringComparison.Ordinal);
        Assert.StartsWith("action=451 4.3.5 cannot check this client", kept, StringComparison.Ordinal);
    }
}
