using System.Diagnostics;

namespace Vouch.Tests.EndToEnd;

/// <summary>Stopping a server the test started: ask it to stop, give it time to drain, then kill it.</summary>
internal static class ChildProcess
{
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
