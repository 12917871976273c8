using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// <c>vouch serve</c> (or <c>vouch milter</c>) as its own process (the CLI built beside the tests), listening on a
/// free loopback port, with its log captured. Stopped with SIGTERM on dispose (killed if it does not drain), also when tests fail.
/// </summary>
internal sealed class VouchServeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly string configPath;

    private VouchServeProcess(Process process, int port, string configPath)
    {
        this.process = process;
        this.configPath = configPath;
        Port = port;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>Whether the process has ended (crashed, or stopped).</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Everything Vouch logged so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>
    /// The first log line that <paramref name="matches"/>, waiting up to 30 s for it: Vouch writes its decision
    /// line after it answers, through a background writer, so it may come after the SMTP reply. Null if none came.
    /// </summary>
    public async Task<string?> WaitForLogLineAsync(Func<string, bool> matches)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!giveUp.IsCancellationRequested)
        {
            if (Log.Split('\n').FirstOrDefault(matches) is { } line)
            {
                return line;
            }

            // Pacing between looks at the log (the condition polled), not a wait for the server.
            await Task.Delay(20);
        }

        return null;
    }

    /// <summary>Starts Vouch with <paramref name="configuration"/> (TOML text), asking the DNS server at <paramref name="dns"/>.</summary>
    public static Task<VouchServeProcess> StartAsync(string configuration, string dns) => StartAsync("serve", configuration, ["--dns", dns]);

    /// <summary>Starts <c>vouch serve</c> with <paramref name="configuration"/> (TOML text) and <paramref name="arguments"/> (e.g. --zone FILE).</summary>
    public static Task<VouchServeProcess> StartServeAsync(string configuration, IReadOnlyList<string> arguments) => StartAsync("serve", configuration, arguments);

    /// <summary>Starts <c>vouch milter</c> with <paramref name="configuration"/> (TOML text) and <paramref name="arguments"/> (e.g. --dns HOST:PORT or --zone FILE).</summary>
    public static Task<VouchServeProcess> StartMilterAsync(string configuration, IReadOnlyList<string> arguments) => StartAsync("milter", configuration, arguments);

    private static async Task<VouchServeProcess> StartAsync(string command, string configuration, IReadOnlyList<string> arguments)
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"vouch-e2e-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(configPath, configuration);
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Vouch.Cli"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var listen = string.Create(CultureInfo.InvariantCulture, $"{(command == "milter" ? "inet:" : "")}127.0.0.1:{port}");
        foreach (var argument in new[] { command, "--listen", listen, "--config", configPath }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var vouch = new VouchServeProcess(Process.Start(start)!, port, configPath);
        if (!await LoopbackPorts.WaitForBannerAsync(port, null, () => vouch.process.HasExited))
        {
            var output = vouch.Log;
            await vouch.DisposeAsync();
            throw new InvalidOperationException($"vouch {command} did not start listening on 127.0.0.1:{port}:\n{output}");
        }

        return vouch;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Append(line).Append('\n');
        }
    }

    /// <summary>Writes a new configuration in place of the one it was started with, and sends SIGHUP.</summary>
    public async Task ReloadAsync(string configuration)
    {
        await File.WriteAllTextAsync(configPath, configuration);
        using var kill = Process.Start("kill", ["-HUP", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and waits for the process to drain and exit (killed after 20 s); returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await ChildProcess.StopAsync(process, "kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
        File.Delete(configPath);
    }
}
