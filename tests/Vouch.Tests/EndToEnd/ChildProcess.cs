using System.Diagnostics;

namespace Vouch.Tests.EndToEnd;

/// <summary>Servers the tests start: started with their output drained, stopped by their own way then killed, disposed in order.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/>, its output and error read and dropped so that a full pipe never blocks it.</summary>
    public static Process StartDraining(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Disposes each server that was started, in the order given (the MTA before the services it asks, those before the DNS).</summary>
    public static async Task DisposeInOrderAsync(params IAsyncDisposable?[] servers)
    {
        foreach (var server in servers)
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> (the server's own way to stop it), then waits up to 20 s for <paramref name="process"/> to exit; kills it and its children after that.</summary>
    public static async Task StopAsync(Process process, string program, params string[] arguments)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var stop = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await stop.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
