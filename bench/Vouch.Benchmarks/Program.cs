namespace Vouch.Benchmarks; internal static class Program { private static void Main() { } }
