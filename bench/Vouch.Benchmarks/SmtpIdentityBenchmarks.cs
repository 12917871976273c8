using BenchmarkDotNet.Attributes;
using Vouch.Smtp;

namespace Vouch.Benchmarks;

/// <summary>What reading the HELO and MAIL FROM costs per request, for typical and hostile values.</summary>
[MemoryDiagnoser]
public class SmtpIdentityBenchmarks
{
    [Params("mail.example.com", "[192.0.2.1]", "my mail server")]
    public string Helo { get; set; } = "";

    [Params("alice@example.com", "bounces+12345-abcdef@mail.esp.example", "john doe@example.net")]
    public string Sender { get; set; } = "";

    [Benchmark]
    public (HeloName, ReversePath) Parse() => (HeloName.Parse(Helo), ReversePath.Parse(Sender));
}
