using Vouch.Tests.Integration;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// The end-to-end world: a real NSD serving tests/zones (plus "broken.test.", which answers SERVFAIL), two
/// `vouch serve` processes asking it (one in enforce mode writing Authentication-Results, one in monitor
/// mode writing Received-SPF, both listing bl.test as a DNS block list), and a private Postfix with one
/// SMTP port per Vouch. Everything is stopped on dispose, also when a test fails.
/// </summary>
public sealed class PostfixWorldFixture : IAsyncLifetime
{
    public const string HostName = "mx.vouch-e2e.test";

    private const string Lists = """
        [[lists.dns]]
        name = "testbl"
        zone = "bl.test"
        type = "address"
        action = "reject"
        """;

    private NsdServer? dns;
    private VouchServeProcess? enforcing;
    private VouchServeProcess? monitoring;
    private PostfixInstance? postfix;

    internal VouchServeProcess Enforcing => enforcing ?? throw new InvalidOperationException("not started");

    internal VouchServeProcess Monitoring => monitoring ?? throw new InvalidOperationException("not started");

    internal PostfixInstance Postfix => postfix ?? throw new InvalidOperationException("not started");

    /// <summary>The SMTP port whose policy service enforces.</summary>
    public int EnforcingPort => Postfix.Ports[0];

    /// <summary>The SMTP port whose policy service only monitors.</summary>
    public int MonitoringPort => Postfix.Ports[1];

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        var zones = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "zones"), "*.zone")
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path) + ".", File.ReadAllText);
        dns = await NsdServer.StartAsync(zones, ["broken.test."]);
        enforcing = await VouchServeProcess.StartAsync($"""
            mode = "enforce"
            [server]
            host_name = "{HostName}"
            header = "authentication-results"
            {Lists}
            """, dns.Address);
        monitoring = await VouchServeProcess.StartAsync($"""
            mode = "monitor"
            [server]
            host_name = "{HostName}"
            header = "received-spf"
            {Lists}
            """, dns.Address);
        postfix = await PostfixInstance.StartAsync([enforcing.Port, monitoring.Port]);
    }

    public async Task DisposeAsync()
    {
        // Postfix first: it holds connections to both policy services.
        await ChildProcess.DisposeInOrderAsync(postfix, enforcing, monitoring, dns);
    }
}
