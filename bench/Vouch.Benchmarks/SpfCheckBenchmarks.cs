using System.Net;
using BenchmarkDotNet.Attributes;
using Vouch.Dns.Zones;
using Vouch.Spf;

namespace Vouch.Benchmarks;

/// <summary>
/// Checks per second on warm in-memory data: a 3-lookup policy (a, mx, include) whose include passes the
/// client. The zone resolver answers at once, so this measures the engine alone.
/// </summary>
[MemoryDiagnoser]
public class SpfCheckBenchmarks
{
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.77");
    private SpfChecker traced = null!;
    private SpfChecker untraced = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zone = new ZoneData();
        zone.LoadText("""
            $ORIGIN example.
            $TTL 3600
            sender          TXT "v=spf1 a mx include:_spf.provider -all"
            sender          A 192.0.2.10
            sender          MX 10 mx1.sender
            sender          MX 20 mx2.sender
            mx1.sender      A 192.0.2.11
            mx2.sender      A 192.0.2.12
            _spf.provider   TXT "v=spf1 ip4:203.0.113.0/24 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all"
            """, "bench.zone");
        var resolver = new ZoneResolver(zone);
        traced = new SpfChecker(resolver);
        untraced = new SpfChecker(resolver, new SpfOptions { CollectTrace = false });
    }

    [Benchmark(Baseline = true)]
    public Task<SpfResult> CheckWithTrace() => traced.CheckMailFromAsync(Client, "alice@sender.example", "mail.sender.example", CancellationToken.None);

    [Benchmark]
    public Task<SpfResult> CheckWithoutTrace() => untraced.CheckMailFromAsync(Client, "alice@sender.example", "mail.sender.example", CancellationToken.None);
}
