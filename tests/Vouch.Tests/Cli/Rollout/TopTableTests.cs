using Vouch.Cli.Rollout;
using Vouch.DecisionLog;
using Vouch.Policy;

namespace Vouch.Tests.Cli.Rollout;

public sealed class TopTableTests
{
    private static readonly DecisionRecord Record = new(
        DecisionLogWorld.Start, "policy", "defaults", "", "192.0.2.1", "h.example", "a@example.com", null,
        Verdict.Black, PolicyAction.Tag, PolicyAction.Reject, PolicyMode.Monitor, RuleCondition.Always, "r", null, "DUNNO", null, 0);

    [Fact]
    public void KeysSeenOftenAreKeptExactlyWhileNoneWasEvicted()
    {
        var table = new TopTable(3);
        foreach (var key in new[] { "a", "b", "a", "c", "a", "b" })
        {
            table.Add(key, Record, "{}"u8);
        }

        Assert.False(table.Evicted);
        Assert.Equal([("a", 3L, 0L), ("b", 2L, 0L), ("c", 1L, 0L)], table.Top(5).Select(e => (e.Key, e.Count, e.Error)));
    }

    [Fact]
    public void AHeavyKeySurvivesAFloodOfOneOffKeysInBoundedMemoryAndNewcomersAreMarkedApproximate()
    {
        var table = new TopTable(10);
        for (var i = 0; i < 100_000; i++)
        {
            table.Add(i % 4 == 0 ? "heavy" : $"once-{i}", Record, "{}"u8);
        }

        Assert.True(table.Evicted);
        var top = table.Top(10);
        Assert.Equal(10, top.Count);
        Assert.Equal("heavy", top[0].Key);
        Assert.Equal(0, top[0].Error);
        Assert.Equal(25_000, top[0].Count);
        Assert.All(top.Skip(1), e => Assert.True(e.Error > 0));
    }
}
