using System.Net;
using BenchmarkDotNet.Attributes;
using Vouch.Reputation;

namespace Vouch.Benchmarks;

/// <summary>A ticket's cost on the hot path: made and signed for each accepted message, and verified when a header comes back.</summary>
[MemoryDiagnoser]
public class TicketBenchmarks
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly Vouching Vouching = new("example.com", "esp.example", VouchMethod.Spf, VouchStrength.Shared, "example.com", "include:_spf.esp.example");
    private readonly TicketSigner signer = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), null, "mx1");
    private string header = "";

    [GlobalSetup]
    public void SetUp() => header = IssueAndFormat();

    [Benchmark]
    public string IssueAndFormat() => signer.Format(signer.Issue(Vouching, Client, ""));

    [Benchmark]
    public bool Verify() => signer.Verify(header, TimeSpan.FromDays(7)).IsValid;
}
