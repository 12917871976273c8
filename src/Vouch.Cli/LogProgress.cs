using Spectre.Console;

namespace Vouch.Cli;

/// <summary>A progress bar on the terminal (stderr) for long log inputs, by bytes read; nothing when stderr is not a terminal.</summary>
internal static class LogProgress
{
    /// <summary>Runs <paramref name="work"/>, showing <paramref name="bytesRead"/> of <paramref name="totalBytes"/> when stderr is a terminal.</summary>
    public static async Task RunAsync(string description, long totalBytes, Func<long> bytesRead, Func<Task> work)
    {
        // Below a few MiB the summary is there before a bar would be drawn.
        if (Console.IsErrorRedirected || totalBytes < 8 << 20)
        {
            await work();
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: totalBytes);
                var working = work();
                while (await Task.WhenAny(working, Task.Delay(200)) != working)
                {
                    task.Value = bytesRead();
                }

                task.Value = totalBytes;
                await working;
            });
    }
}
