using StackExchange.Redis;
using Vouch.Reputation;
using Vouch.Tests.EndToEnd;

namespace Vouch.Tests.Reputation;

/// <summary>The store contract against a private Redis server (a key prefix of its own per test), and what only Redis does: fleet announcements, a server that is down.</summary>
public sealed class RedisReputationStoreTests(RedisServerFixture redis) : ReputationStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly string prefix = "vouch-test:" + Guid.NewGuid().ToString("N")[..12];

    protected override IReputationStore CreateStore(ReputationOptions options) =>
        new RedisReputationStore(options with { Redis = redis.Server.Configuration, RedisPrefix = prefix });

    [Fact]
    public async Task A_state_change_on_one_node_is_announced_to_the_others()
    {
        var first = Open();
        var second = Open();
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        second.StateChanged += subject => announced.TrySetResult(subject);
        await second.RowsAsync("loud.example", T0, None);
        await SpamRunAsync(first, Owner("loud.example"), 5, 5, T0);
        Assert.Equal("loud.example", await announced.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("redis " + redis.Server.Configuration, first.Description);
    }

    [Fact]
    public async Task A_delivery_puts_a_listed_row_back_in_a_lost_listed_set_and_leaves_a_neutral_row_out()
    {
        var store = Open();
        await SpamRunAsync(store, Owner("listed.example"), 6, 6, T0);
        await store.AddDeliveriesAsync(Owner("quiet.example"), 3, T0, None);
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var database = client.GetDatabase();
        var listed = prefix + ":listed";
        await database.KeyDeleteAsync(listed);
        await store.AddDeliveriesAsync(Owner("listed.example"), 1, T0.AddMinutes(1), None);
        await store.AddDeliveriesAsync(Owner("quiet.example"), 1, T0.AddMinutes(1), None);
        var members = (await database.SetMembersAsync(listed)).Select(member => member.ToString()).ToList();
        Assert.Equal([Owner("listed.example")[0].Key.Id], members);
    }

    [Fact]
    public async Task A_server_that_is_down_is_a_store_error_not_a_hang()
    {
        var closed = LoopbackPorts.Free();
        await using var store = new RedisReputationStore(Options with { Redis = $"127.0.0.1:{closed}", RedisPrefix = prefix });
        var report = Spam(Owner("example.com"), "t", "r", T0);
        var error = await Assert.ThrowsAsync<ReputationStoreException>(() => store.RecordAsync(report, None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"127.0.0.1:{closed}", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ReputationStoreException>(() => store.RowsAsync("example.com", T0, None).WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<ReputationStoreException>(() => store.ListedAsync(T0, None).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
