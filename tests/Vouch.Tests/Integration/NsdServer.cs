using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Dns;
using Vouch.Dns.Wire;

namespace Vouch.Tests.Integration;

/// <summary>
/// A real authoritative DNS server (NSD) on a free loopback port, serving zone files written to a private
/// folder. Started as a child process and polled until it answers; stopped (and its folder removed) on
/// dispose, also when tests fail.
/// </summary>
internal sealed class NsdServer : IAsyncDisposable
{
    private const string NsdPath = "/usr/sbin/nsd";
    private readonly Process process;
    private readonly string folder;

    private NsdServer(Process process, string folder, IPEndPoint endpoint)
    {
        this.process = process;
        this.folder = folder;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public string Address => $"{Endpoint.Address}:{Endpoint.Port}";

    public bool IsRunning => !process.HasExited;

    /// <summary>Starts NSD for <paramref name="zones"/> (origin → zone-file text); <paramref name="brokenZones"/> are configured but fail to load, so NSD answers SERVFAIL for them.</summary>
    public static async Task<NsdServer> StartAsync(IReadOnlyDictionary<string, string> zones, IReadOnlyCollection<string>? brokenZones = null)
    {
        if (!File.Exists(NsdPath))
        {
            throw new InvalidOperationException($"NSD is not installed ({NsdPath} missing): run ./test.sh, which installs the Debian package 'nsd'.");
        }

        var folder = Directory.CreateTempSubdirectory("vouch-nsd-").FullName;
        var zoneConfig = new StringBuilder();
        var index = 0;
        foreach (var (origin, text) in zones)
        {
            var file = $"zone{index++}.zone";
            await File.WriteAllTextAsync(Path.Combine(folder, file), text);
            zoneConfig.Append(CultureInfoInvariant($"zone:\n  name: \"{origin}\"\n  zonefile: \"{file}\"\n"));
        }

        foreach (var origin in brokenZones ?? [])
        {
            var file = $"zone{index++}.zone";
            await File.WriteAllTextAsync(Path.Combine(folder, file), $"$ORIGIN {origin}\n@ SOA this is not a valid soa\n");
            zoneConfig.Append(CultureInfoInvariant($"zone:\n  name: \"{origin}\"\n  zonefile: \"{file}\"\n"));
        }

        for (var attempt = 0; ; attempt++)
        {
            // A failed attempt's log ("can't bind", when another process took the free port first) would read as
            // this server's zone errors.
            File.Delete(Path.Combine(folder, "nsd.log"));
            var port = FreePort();
            var config = Path.Combine(folder, "nsd.conf");
            await File.WriteAllTextAsync(config, $"""
                server:
                  ip-address: 127.0.0.1@{port}
                  username: ""
                  chroot: ""
                  zonesdir: "{folder}"
                  database: ""
                  pidfile: "{folder}/nsd.pid"
                  logfile: "{folder}/nsd.log"
                  xfrdfile: "{folder}/xfrd.state"
                  zonelistfile: "{folder}/zone.list"
                  server-count: 1
                  verbosity: 1
                  rrl-ratelimit: 0
                  do-ip6: no
                  hide-version: yes
                  tcp-count: 256
                remote-control:
                  control-enable: no
                {zoneConfig}
                """);
            var process = EndToEnd.ChildProcess.StartDraining(NsdPath, ["-d", "-c", config]);
            var server = new NsdServer(process, folder, new IPEndPoint(IPAddress.Loopback, port));
            if (await server.WaitUntilAnsweringAsync(zones.Keys.FirstOrDefault() ?? "."))
            {
                return server;
            }

            await server.StopAsync();
            if (attempt == 4)
            {
                var log = File.Exists(Path.Combine(folder, "nsd.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "nsd.log")) : "(no log)";
                throw new InvalidOperationException($"NSD did not start answering on 127.0.0.1:{port}: {log}");
            }
        }
    }

    /// <summary>Polls with real queries until NSD answers for <paramref name="origin"/> (not a time-based wait).</summary>
    private async Task<bool> WaitUntilAnsweringAsync(string origin)
    {
        await using var probe = new NetworkResolver(new NetworkResolverOptions { Servers = [Endpoint], Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!giveUp.IsCancellationRequested && !process.HasExited)
        {
            var answer = await probe.LookupTxtAsync(origin == "." ? "nsd-ready-probe" : origin, CancellationToken.None);
            if (!answer.Status.IsTemporaryFailure() || answer.Problem?.StartsWith("ServerFailure from", StringComparison.Ordinal) == true)
            {
                return true;
            }

            // Pacing between polls of the condition (a refused port fails at once), not a wait for the server.
            await Task.Delay(10);
        }

        return false;
    }

    /// <summary>NSD's log so far (zone load errors show here).</summary>
    public async Task<string> ReadLogAsync()
    {
        var path = Path.Combine(folder, "nsd.log");
        if (!File.Exists(path))
        {
            return "";
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Kills the server at once, as a crash would (a test of what happens when DNS goes away).</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Asks NSD to shut down (SIGTERM), so it stops and reaps its own server processes; kills it if it does not.</summary>
    private async Task ShutDownAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ShutDownAsync();
        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static int FreePort()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.LocalEndPoint!).Port;
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
