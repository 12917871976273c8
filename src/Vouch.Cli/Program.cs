namespace Vouch.Cli;

/// <summary>The vouch executable.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, eventArgs) =>
        {
            eventArgs.Cancel = true;
            cancellation.Cancel();
        };
        return await VouchCommandLine.RunAsync(args, Console.In, Console.Out, Console.Error, cancellation.Token);
    }
}
