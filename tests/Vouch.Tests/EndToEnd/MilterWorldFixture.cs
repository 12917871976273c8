using System.Globalization;
using Vouch.Tests.Integration;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// The milter's end-to-end world: a real NSD serving tests/zones, one `vouch milter` in enforce mode asking it
/// (Received-SPF above Authentication-Results, bl.test as a DNS block list), and a private Postfix whose one
/// SMTP port has it in smtpd_milters (protocol 6) and no policy service. Stopped on dispose, also when a test fails.
/// </summary>
public sealed class MilterWorldFixture : IAsyncLifetime
{
    public const string HostName = "mx.vouch-e2e.test";

    private NsdServer? dns;
    private VouchServeProcess? milter;
    private PostfixInstance? postfix;

    internal VouchServeProcess Milter => milter ?? throw new InvalidOperationException("not started");

    internal PostfixInstance Postfix => postfix ?? throw new InvalidOperationException("not started");

    /// <summary>The SMTP port whose mail goes through the milter.</summary>
    public int Port => Postfix.Ports[0];

    public async Task InitializeAsync()
    {
        try
        {
            var zones = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "zones"), "*.zone")
                .ToDictionary(path => Path.GetFileNameWithoutExtension(path) + ".", File.ReadAllText);
            dns = await NsdServer.StartAsync(zones, ["broken.test."]);
            milter = await VouchServeProcess.StartMilterAsync($"""
                mode = "enforce"
                [server]
                host_name = "{HostName}"
                [milter]
                headers = ["received-spf", "authentication-results"]
                [[lists.dns]]
                name = "testbl"
                zone = "bl.test"
                type = "address"
                action = "reject"
                """, ["--dns", dns.Address]);
            postfix = await PostfixInstance.StartWithListenersAsync(
                [string.Create(CultureInfo.InvariantCulture, $"-o smtpd_milters=inet:127.0.0.1:{milter.Port} -o milter_protocol=6 -o milter_default_action=tempfail")], "");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync() => ChildProcess.DisposeInOrderAsync(postfix, milter, dns);
}
