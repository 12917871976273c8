using BenchmarkDotNet.Running;

namespace Vouch.Benchmarks;

/// <summary>Runs the benchmarks: dotnet run -c Release --project bench/Vouch.Benchmarks -- --filter '*'.</summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
