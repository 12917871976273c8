using Vouch.Configuration;
using Vouch.DecisionLog;
using Vouch.Policy;

namespace Vouch.Tests.Cli.Rollout;

public sealed class DecisionRecordTests
{
    [Fact]
    public async Task EveryRecordedDecisionIsDecidedTheSameFromItsRecordedEvidence()
    {
        using var world = await DecisionLogWorld.CreateAsync();
        var configuration = await ConfigurationLoader.LoadAsync(Path.Combine(world.Folder, "vouch.toml"), CancellationToken.None);
        var records = await ReadAllAsync(world);

        Assert.Equal(world.Decisions, records.Count);
        foreach (var record in records)
        {
            var again = PolicyEngine.Decide(record.Evidence!, configuration.Policy, record.Time);
            Assert.Equal((record.Rule, record.Verdict, record.EnforcedAction, record.Reason), (again.Rule.When, again.Verdict, again.EnforcedAction, again.Reason));
        }

        Assert.Equal(configuration.Identity, Assert.Single(records.Select(r => r.Configuration).Distinct()));
        Assert.Contains(records, r => r.Rule == RuleCondition.SpfSoftFail);
        Assert.Contains(records, r => r.Rule == RuleCondition.BlockListed);
        Assert.Contains(records, r => r.Rule == RuleCondition.RmxGranted);
        Assert.Contains(records, r => r.Rule == RuleCondition.NullMxSender);
        Assert.Contains(records, r => r.Rule == RuleCondition.MxRegistered && r.Evidence!.Registration.Owner == "example.net");
    }

    [Fact]
    public async Task TheLogRotatesBySizeAndKeepsEveryLineInOrder()
    {
        using var world = await DecisionLogWorld.CreateAsync(rotateBytes: 8 * 1024);

        Assert.True(world.Files.Count > 3, $"{world.Files.Count} files");
        foreach (var file in world.Files.Skip(1))
        {
            Assert.InRange(new FileInfo(file).Length, 1, 8 * 1024);
        }

        var times = (await ReadAllAsync(world)).Select(r => r.Time).ToList();
        Assert.Equal(world.Decisions, times.Count);
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task OnlyTheNewestRotatedFilesAreKept()
    {
        using var world = await DecisionLogWorld.CreateAsync(rotateBytes: 4 * 1024, keep: 2);

        Assert.Equal(3, world.Files.Count);
        Assert.EndsWith("decisions.jsonl.2.gz", world.Files[0], StringComparison.Ordinal);
        Assert.True((await ReadAllAsync(world)).Count < world.Decisions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("vouch: listening on 127.0.0.1:10040")]
    [InlineData("{")]
    [InlineData("{\"v\":2,\"time\":\"2026-11-02T08:00:00Z\"}")]
    [InlineData("{\"queue_id\":\"\",\"client\":\"192.0.2.1\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"v\":1,\"time\":\"yesterday\",\"verdict\":\"white\"}")]
    [InlineData("{\"v\":\"1\"}")]
    [InlineData("{\"v\":1,\"helo_spf_checked\":\"yes\"}")]
    [InlineData("{\"v\":1,\"preference\":99999999999999}")]
    [InlineData("{\"v\":1,\"helo\":[\"a\"]}")]
    [InlineData("{\"v\":1,\"candidates\":{\"domain\":\"x\"}}")]
    [InlineData("{\"v\":1,\"dns_lists\":[[[[[[[[[[]]]]]]]]]]}")]
    [InlineData("{\"v\":1,\"time\":\"2026-11-02T08:00:00Z\",\"verdict\":\"purple\",\"action\":\"accept\",\"enforced_action\":\"accept\",\"mode\":\"monitor\",\"rule\":\"always\"}")]
    public void ALineThatIsNotADecisionIsRefusedWithAReason(string line)
    {
        Assert.False(DecisionRecordJson.TryParse(line, out var record, out var problem));
        Assert.Null(record);
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreRefusedNotThrown()
    {
        var line = "{\"v\":1,\"time\":\"2026-11-02T08:00:00Z\",\"helo\":\"x\"}"u8.ToArray();
        line[^4] = 0xff;

        Assert.False(new DecisionLogReader().TryParse(line, out var record, out var problem));
        Assert.Null(record);
        Assert.StartsWith("not JSON", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AJournalPrefixIsSkippedAndHostileTextSurvivesTheRoundTrip()
    {
        var hostile = "</script>\"\u0000\u202e=cmd|' /C calc'!A0";
        var line = "Dec 07 10:00:00 mx vouch[123]: {\"v\":1,\"time\":\"2026-11-02T08:00:00.000Z\",\"front_end\":\"policy\",\"config\":\"defaults\",\"queue_id\":\"\",\"client\":\"192.0.2.1\","
            + "\"helo\":" + System.Text.Json.JsonSerializer.Serialize(hostile) + ",\"sender\":\"\",\"spf\":\"none\",\"helo_spf\":\"none\",\"fcrdns\":\"none\",\"registration\":\"unregistered\",\"rmx\":\"NoRMX\","
            + "\"verdict\":\"black\",\"action\":\"tag\",\"enforced_action\":\"reject\",\"mode\":\"monitor\",\"rule\":\"spf_none\",\"reason\":\"r\",\"answer\":\"DUNNO\"}";

        Assert.True(DecisionRecordJson.TryParse(line, out var record, out _));
        Assert.Equal(hostile, record!.Helo);
        Assert.True(DecisionRecordJson.TryParse(DecisionRecordJson.Format(record), out var again, out _));
        Assert.Equal(hostile, again!.Helo);
        Assert.Equal(PolicyAction.Reject, again.EnforcedAction);
    }

    internal static async Task<List<string>> ReadAllLinesAsync(DecisionLogWorld world)
    {
        var lines = new List<string>();
        await foreach (var line in new Vouch.Cli.LogLines(TextReader.Null).ReadAsync(world.Files, CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }

    internal static async Task<List<DecisionRecord>> ReadAllAsync(DecisionLogWorld world)
    {
        var lines = new Vouch.Cli.LogLines(TextReader.Null);
        var records = new List<DecisionRecord>();
        await foreach (var line in lines.ReadAsync(world.Files, CancellationToken.None))
        {
            Assert.True(DecisionRecordJson.TryParse(line, out var record, out var problem), problem);
            records.Add(record!);
        }

        return records;
    }
}
