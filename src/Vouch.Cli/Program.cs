using System.Text;

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

        // Console.Out writes through to the terminal on every line: a batch of 20,000 answers made 20,000
        // write calls. This writer is flushed where an answer must go out (the batch runner does so whenever
        // it would otherwise wait) and at exit.
        await using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        return await VouchCommandLine.RunAsync(args, Console.In, output, Console.Error, cancellation.Token);
    }
}
