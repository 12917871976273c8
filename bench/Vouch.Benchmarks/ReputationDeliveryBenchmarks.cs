using BenchmarkDotNet.Attributes;
using Vouch.Reputation;

namespace Vouch.Benchmarks;

/// <summary>
/// The SQLite store's delivery flush, the writer's work for every accepted message (END-OF-MESSAGE): 1,000 owners'
/// delivery counts and 1,000 queue links written in one batch, against 20,000 rows made in the set-up. Per row.
/// </summary>
[MemoryDiagnoser]
public class ReputationDeliveryBenchmarks : IAsyncDisposable
{
    private const int Owners = 20_000;
    private const int PerFlush = 1_000;
    private readonly List<IReadOnlyList<ReputationCharge>> charges = [];
    private string folder = "";
    private SqliteReputationStore? store;
    private int next;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        folder = Directory.CreateTempSubdirectory("vouch-delivery-bench-").FullName;
        var options = new ReputationOptions { Enabled = true, Path = Path.Combine(folder, "reputation.db") };
        store = new SqliteReputationStore(options);
        for (var i = 0; i < Owners; i++)
        {
            charges.Add(ReputationCharges.ForVouch($"owner{i}.example", i % 3 == 0 ? "esp.example" : null, VouchStrength.Strong, "", options));
        }

        for (var i = 0; i < Owners; i += PerFlush)
        {
            await FlushDeliveriesAsync();
        }
    }

    [GlobalCleanup]
    public async ValueTask DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }

        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = PerFlush)]
    public async Task FlushDeliveriesAsync()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < PerFlush; i++)
        {
            var owner = charges[next];
            next = (next + 1) % Owners;
            await store!.AddDeliveriesAsync(owner, 1, now, CancellationToken.None);
            await store.LinkQueueIdAsync($"Q{next:X}{i:X}", "v=1; t=0; o=owner.example", now, CancellationToken.None);
        }

        await store!.FlushAsync(CancellationToken.None);
    }
}
