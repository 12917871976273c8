using System.Net.Sockets;
using Vouch.Tests.Support;
using static Vouch.Tests.Support.MilterPackets;

namespace Vouch.Tests.EndToEnd;

/// <summary>`vouch milter` as a process: a real SIGHUP loads the new configuration for the next message, a bad one is refused, SIGTERM ends it cleanly.</summary>
public sealed class MilterProcessTests
{
    private static readonly string DemoZone = Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.zone");

    /// <summary>One Postfix-like connection judging the demo zone's spoofer; the reply commands in order.</summary>
    private static async Task<string> SpooferAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync((byte[])[.. Negotiate(), .. Transaction("203.0.113.66", "spoofer.example.net", "<alice@example.com>", []), .. Simple('Q')]);
        using var replies = new MemoryStream();
        await stream.CopyToAsync(replies); // The milter closes the connection at QUIT.
        return new string([.. Replies(replies.ToArray()).Select(reply => reply.Command)]);
    }

    [Fact]
    public async Task SighupLoadsTheNewConfigurationAndRefusesABadOneAndSigtermEndsTheService()
    {
        var vouch = await VouchServeProcess.StartMilterAsync("mode = \"monitor\"\n", ["--zone", DemoZone]);
        await using var owned = vouch;
        var monitored = await SpooferAsync(vouch.Port);

        await vouch.ReloadAsync("mode = \"enforce\"\n");
        Assert.NotNull(await vouch.WaitForLogLineAsync(line => line.Contains("vouch: configuration reloaded", StringComparison.Ordinal)));
        var enforced = await SpooferAsync(vouch.Port);

        await vouch.ReloadAsync("mode = \"enforced\"\n");
        Assert.NotNull(await vouch.WaitForLogLineAsync(line => line.Contains("vouch: reload refused, keeping the running configuration", StringComparison.Ordinal)));
        var kept = await SpooferAsync(vouch.Port);
        var exitCode = await vouch.StopAsync();

        Assert.Equal("Ociic", monitored);
        Assert.Equal("Oyy", enforced);
        Assert.Equal("Oyy", kept);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task CheckConfigReportsTheMilterAndAWrongListenAddressIsAUsageError()
    {
        var ok = await Cli.CliRunner.RunAsync("milter", "--check-config", "--zone", DemoZone);
        var bad = await Cli.CliRunner.RunAsync("milter", "--check-config", "--zone", DemoZone, "--listen", "inet:nowhere:x");

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("milter decides at rcpt, listen 127.0.0.1:8891", ok.Output, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--listen:", bad.Error, StringComparison.Ordinal);
    }
}
