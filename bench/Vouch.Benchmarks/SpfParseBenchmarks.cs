using BenchmarkDotNet.Attributes;
using Vouch.Spf;

namespace Vouch.Benchmarks;

/// <summary>Parse time of records shaped like those published today.</summary>
[MemoryDiagnoser]
public class SpfParseBenchmarks
{
    [Params(
        "v=spf1 -all",
        "v=spf1 include:_spf.provider.example ~all",
        "v=spf1 mx a ip4:192.0.2.0/24 ip4:198.51.100.0/24 ip6:2001:db8::/32 include:spf.esp.example -all",
        "v=spf1 exists:%{ir}.%{l1r-}._spf.%{d} ?all exp=why.%{d}")]
    public string Record { get; set; } = "";

    [Benchmark]
    public SpfRecord? Parse()
    {
        return SpfRecord.TryParse(Record, out var record, out _) ? record : null;
    }
}
