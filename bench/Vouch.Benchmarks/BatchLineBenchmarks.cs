using System.Text;
using BenchmarkDotNet.Attributes;
using Vouch.Cli;

namespace Vouch.Benchmarks;

/// <summary>
/// A whole batch line in steady state: the JSON line read, the check on a warm cache (the corpus zones behind
/// the shared cache, every answer a hit), the decision, the JSON answer written. Per line, over the first
/// <see cref="Lines"/> lines of the bench corpus' workload (each benchmark invocation runs them all).
/// </summary>
[MemoryDiagnoser]
public class BatchLineBenchmarks : IDisposable
{
    /// <summary>Workload lines per invocation.</summary>
    public const int Lines = 5000;

    private string[] lines = [];
    private string input = "";
    private BatchRunner runner = null!;
    private StreamWriter output = null!;

    /// <summary>The configuration: every check (the default), or SPF for MAIL FROM only.</summary>
    [Params(BenchCorpus.Default, BenchCorpus.MailFromOnly)]
    public string Configuration { get; set; } = BenchCorpus.Default;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        lines = BenchCorpus.WorkloadLines(Lines);
        input = string.Join('\n', lines) + "\n";
        runner = new BatchRunner(await BenchCorpus.CreateCheckerAsync(Configuration));
        output = new StreamWriter(Stream.Null, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);

        // Warm: every DNS answer the lines need is in the cache.
        await OneAtATimeAsync();
        await PipelinedAsync();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        output.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One line after the other: what a line itself costs.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task<int> OneAtATimeAsync()
    {
        var written = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var answer = await runner.AnswerLineAsync(lines[i], i + 1, CancellationToken.None);
            written += answer.Written.Length;
            runner.Return(answer);
        }

        return written;
    }

    /// <summary>As <c>vouch check --batch</c> runs them: read, checked up to 512 at a time, written in order (wall clock on every core).</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task PipelinedAsync()
    {
        await runner.RunAsync(new StringReader(input), output, CancellationToken.None);
    }
}
