using System.Globalization;
using Vouch.Tests.Integration;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// The reputation world: NSD serving tests/zones, two `vouch serve` with reputation on (one enforcing it, one in
/// reputation's monitor mode), each with its own SQLite store, and a private Postfix asking them at RCPT, DATA
/// (the Vouch-Ticket PREPEND) and END-OF-DATA (the delivery count). Stopped on dispose, also when a test fails.
/// </summary>
public sealed class ReputationWorldFixture : IAsyncLifetime
{
    /// <summary>The key both services sign with (base64 of 32 bytes).</summary>
    public const string TicketKey = "dm91Y2gtZTJlLXJlcHV0YXRpb24tdGlja2V0LWtleSE=";

    private readonly string folder = Directory.CreateTempSubdirectory("vouch-e2e-reputation-").FullName;
    private NsdServer? dns;
    private VouchServeProcess? enforcing;
    private VouchServeProcess? monitoring;
    private PostfixInstance? postfix;

    internal VouchServeProcess Enforcing => enforcing ?? throw new InvalidOperationException("not started");

    internal VouchServeProcess Monitoring => monitoring ?? throw new InvalidOperationException("not started");

    internal PostfixInstance Postfix => postfix ?? throw new InvalidOperationException("not started");

    /// <summary>The SMTP port whose policy service enforces reputation.</summary>
    public int EnforcingPort => Postfix.Ports[0];

    /// <summary>The SMTP port whose policy service only monitors reputation.</summary>
    public int MonitoringPort => Postfix.Ports[1];

    /// <summary>The configuration file of the enforcing service (what `vouch report --config` reads).</summary>
    public string EnforcingConfig => Path.Combine(folder, "enforcing.toml");

    /// <summary>The configuration file of the monitoring service.</summary>
    public string MonitoringConfig => Path.Combine(folder, "monitoring.toml");

    public async Task InitializeAsync()
    {
        try
        {
            var zones = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "zones"), "*.zone")
                .ToDictionary(path => Path.GetFileNameWithoutExtension(path) + ".", File.ReadAllText);
            dns = await NsdServer.StartAsync(zones);
            var enforcingText = Configuration("enforce", "enforcing");
            var monitoringText = Configuration("monitor", "monitoring");
            await File.WriteAllTextAsync(EnforcingConfig, enforcingText);
            await File.WriteAllTextAsync(MonitoringConfig, monitoringText);
            enforcing = await VouchServeProcess.StartAsync(enforcingText, dns.Address);
            monitoring = await VouchServeProcess.StartAsync(monitoringText, dns.Address);
            postfix = await PostfixInstance.StartWithListenersAsync([Listener(enforcing.Port), Listener(monitoring.Port)], "");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await ChildProcess.DisposeInOrderAsync(postfix, enforcing, monitoring, dns);

        Directory.Delete(folder, recursive: true);
    }

    // The policy service at RCPT decides, at DATA prepends the ticket, at END-OF-DATA counts the delivery.
    private static string Listener(int port)
    {
        var service = string.Create(CultureInfo.InvariantCulture, $"check_policy_service,inet:127.0.0.1:{port}");
        return $"-o smtpd_recipient_restrictions=reject_unauth_destination,{service}\n  -o smtpd_data_restrictions={service}\n  -o smtpd_end_of_data_restrictions={service}";
    }

    private string Configuration(string reputationMode, string name) => $"""
        mode = "enforce"
        [server]
        host_name = "{PostfixWorldFixture.HostName}"
        header = "received-spf"
        [reputation]
        enabled = true
        mode = "{reputationMode}"
        path = "{Path.Combine(folder, name + ".db")}"
        ticket_key = "{TicketKey}"
        node = "{name}"
        refresh_ms = 200
        """;
}
