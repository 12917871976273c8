using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Tests.EndToEnd;

namespace Vouch.Tests.Reputation;

/// <summary>
/// A private Redis server on a free loopback port, without persistence, in its own temporary folder (vouch-redis-…,
/// which test.sh's clean-up matches). Polled with PING until it answers; killed, and its folder removed, on dispose.
/// Each user keeps to its own key prefix, so one server serves many tests.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private const string RedisPath = "/usr/bin/redis-server";
    private readonly Process process;
    private readonly string folder;

    private RedisServer(Process process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server as ReputationOptions.Redis names it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists(RedisPath))
        {
            throw new InvalidOperationException($"Redis is not installed ({RedisPath} missing): run ./test.sh, which installs the Debian package 'redis-server'.");
        }

        var folder = Directory.CreateTempSubdirectory("vouch-redis-").FullName;
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            // set-proc-title no keeps the command line (with the folder's name) for test.sh's pkill.
            var process = ChildProcess.StartDraining(RedisPath, ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder, "--set-proc-title", "no"]);
            var server = new RedisServer(process, folder, port);
            if (await server.WaitUntilAnsweringAsync())
            {
                return server;
            }

            await server.StopAsync();
            if (attempt == 4)
            {
                throw new InvalidOperationException($"redis-server did not start answering on 127.0.0.1:{port}");
            }
        }
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
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

    /// <summary>Sends PING until the server answers +PONG (not a time-based wait); false when it exits or 30 s pass.</summary>
    private async Task<bool> WaitUntilAnsweringAsync()
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64];
        while (!giveUp.IsCancellationRequested && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, giveUp.Token);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), giveUp.Token);
                var read = await stream.ReadAsync(buffer, giveUp.Token);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not listening yet, or still loading.
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // Pacing between polls (a refused connection fails at once), not a wait for the server.
            await Task.Delay(10);
        }

        return false;
    }
}
