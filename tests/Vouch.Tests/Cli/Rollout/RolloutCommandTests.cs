using System.Text.Json;

namespace Vouch.Tests.Cli.Rollout;

public sealed class RolloutCommandTests
{
    [Fact]
    public async Task TheSummaryCountsWhatEnforcementWouldRefuseByRuleWeekAndSender()
    {
        using var world = await DecisionLogWorld.CreateAsync();

        var (exit, output, error) = await CliRunner.RunAsync(["rollout", "--json", .. world.Files]);

        Assert.True(exit == 0, error);
        using var summary = JsonDocument.Parse(output);
        var root = summary.RootElement;
        Assert.Equal("vouch-rollout/1", root.GetProperty("schema").GetString());
        Assert.Equal(world.Decisions, root.GetProperty("decisions").GetInt32());
        Assert.Equal(0, root.GetProperty("unreadable_lines").GetInt32());
        Assert.Equal(DecisionLogWorld.Weeks, root.GetProperty("weeks").GetArrayLength());
        var weeks = root.GetProperty("weeks").EnumerateArray().ToList();
        for (var week = 0; week < DecisionLogWorld.Weeks; week++)
        {
            Assert.Equal(DecisionLogWorld.DecisionsPerWeek(week), new[] { "accept", "tag", "defer", "reject" }.Sum(a => weeks[week].GetProperty(a).GetInt32()));
        }

        Assert.Equal("2026-W45", weeks[0].GetProperty("week").GetString());
        Assert.Equal("2026-11-02", weeks[0].GetProperty("start").GetString());
        var byRule = root.GetProperty("by_rule").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!, r => r.GetProperty("count").GetInt32());
        Assert.Equal(DecisionLogWorld.SoftFails, byRule["spf_softfail"]);
        Assert.Equal(DecisionLogWorld.Weeks * 2, byRule["spf_fail"]);
        Assert.Equal(DecisionLogWorld.Weeks * 2, byRule["block_listed"]);
        Assert.Equal(DecisionLogWorld.Weeks * 1, byRule["null_mx_sender"]);
        Assert.False(byRule.ContainsKey("spf_pass"));
        Assert.Equal(byRule.Values.Sum(), root.GetProperty("would_refuse").GetInt32() + root.GetProperty("would_defer").GetInt32());

        var domains = root.GetProperty("top_domains").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(DecisionLogWorld.SoftFails, domains["shop.example.org"].GetProperty("count").GetInt32());
        Assert.False(domains["shop.example.org"].GetProperty("approximate").GetBoolean());
        Assert.Equal("postmaster@shop.example.org", domains["shop.example.org"].GetProperty("tell").GetString());
        Assert.Contains("ip4:198.51.100.7", domains["shop.example.org"].GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("198.51.100.7", domains["shop.example.org"].GetProperty("sample").GetProperty("client").GetString());
        // example.net's unregistered server sends every week: steady. The spoofer's mail names example.com.
        Assert.Contains("steady", domains["example.net"].GetProperty("looks_legitimate").EnumerateArray().Select(f => f.GetString()));
        var owners = root.GetProperty("top_owners").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToList();
        Assert.Contains("example.org", owners); // shop.example.org and noreply.example.org, one organisation
        var networks = root.GetProperty("top_networks").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToList();
        Assert.Contains("198.51.100.0/24", networks);
        Assert.Contains("203.0.113.0/24", networks);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("what_if").ValueKind);
    }

    [Fact]
    public async Task TheTextSummaryShowsTheShareTheTrendAndTheFixes()
    {
        using var world = await DecisionLogWorld.CreateAsync();

        var (exit, output, error) = await CliRunner.RunAsync(["rollout", .. world.Files]);

        Assert.True(exit == 0, error);
        Assert.Contains($"vouch rollout: {world.Decisions} decisions from 2026-11-02 to 2026-12-0", output, StringComparison.Ordinal);
        Assert.Contains("enforcement would refuse", output, StringComparison.Ordinal);
        Assert.Contains("spf_softfail", output, StringComparison.Ordinal);
        Assert.Contains("trend: shrinking", output, StringComparison.Ordinal);
        Assert.Contains("fix for the sender:", output, StringComparison.Ordinal);
        Assert.Contains("tell: postmaster@example.net", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIfDecidesTheRecordedEvidenceAgainUnderTheNewTable()
    {
        using var world = await DecisionLogWorld.CreateAsync();
        var lax = Path.Combine(world.Folder, "lax.toml");
        await File.WriteAllTextAsync(lax, await File.ReadAllTextAsync(Path.Combine(world.Folder, "vouch.toml")) + "\n[policy]\nsoftfail_action = \"accept\"\n");

        var (exit, output, error) = await CliRunner.RunAsync(["rollout", "--json", "--config", lax, .. world.Files]);

        Assert.True(exit == 0, error);
        using var summary = JsonDocument.Parse(output);
        var whatIf = summary.RootElement.GetProperty("what_if");
        Assert.Equal(world.Decisions, whatIf.GetProperty("compared").GetInt32());
        Assert.Equal(DecisionLogWorld.SoftFails, whatIf.GetProperty("changed").GetInt32());
        Assert.Equal(0, whatIf.GetProperty("undecidable").GetInt32());
        var change = Assert.Single(whatIf.GetProperty("changes").EnumerateArray());
        Assert.Equal(("reject", "accept", "spf_softfail", "spf_softfail", DecisionLogWorld.SoftFails), (change.GetProperty("from").GetString(), change.GetProperty("to").GetString(), change.GetProperty("rule_before").GetString(), change.GetProperty("rule_after").GetString(), change.GetProperty("count").GetInt32()));
        var owner = Assert.Single(whatIf.GetProperty("by_owner").EnumerateArray());
        Assert.Equal("example.org", owner.GetProperty("key").GetString());
    }

    [Fact]
    public async Task WhatIfSaysWhichRequestsItCannotDecideFromEvidenceThatWasNotGathered()
    {
        // Recorded with gather = "decisive": a pass stopped before registration was asked.
        using var world = await DecisionLogWorld.CreateAsync(configurationText: "mode = \"monitor\"\n[checks]\ngather = \"decisive\"\n");
        var mxFirst = Path.Combine(world.Folder, "mx-first.toml");
        await File.WriteAllTextAsync(mxFirst, """
            [[policy.rules]]
            when = "mx_registered"
            verdict = "white"
            action = "accept"
            reason = "registered"

            [[policy.rules]]
            when = "always"
            verdict = "black"
            action = "reject"
            code = "5.7.1"
            reason = "not registered"
            """);

        var (exit, output, error) = await CliRunner.RunAsync(["rollout", "--json", "--config", mxFirst, .. world.Files]);

        Assert.True(exit == 0, error);
        using var summary = JsonDocument.Parse(output);
        var whatIf = summary.RootElement.GetProperty("what_if");
        Assert.True(whatIf.GetProperty("undecidable").GetInt32() > 0);
        Assert.Equal(world.Decisions, whatIf.GetProperty("compared").GetInt32() + whatIf.GetProperty("undecidable").GetInt32());
        Assert.Contains("mx_registered", Assert.Single(whatIf.GetProperty("undecidable_because").EnumerateObject()).Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JournalLinesOnStandardInputAreReadAndOtherLinesCounted()
    {
        using var world = await DecisionLogWorld.CreateAsync();
        var lines = await File.ReadAllLinesAsync(world.Files[^1]);
        var journal = string.Join('\n', lines.Select(line => "Dec 07 10:00:00 mx vouch[42]: " + line).Prepend("vouch: listening on 127.0.0.1:10040").Append("{\"v\":9}").Append(new string('{', 100_000)));

        var (exit, output, error) = await CliRunner.RunWithInputAsync(journal, "rollout", "--json");

        Assert.True(exit == 0, error);
        using var summary = JsonDocument.Parse(output);
        Assert.Equal(lines.Length, summary.RootElement.GetProperty("decisions").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("unreadable_lines").GetInt32());
    }

    [Fact]
    public async Task CsvQuotesFieldsAndDisarmsFormulas()
    {
        using var world = await DecisionLogWorld.CreateAsync();
        var hostile = Path.Combine(world.Folder, "hostile.jsonl");
        var line = (await DecisionRecordTests.ReadAllLinesAsync(world)).First(l => l.Contains("\"spf_domain\":\"example.net\"", StringComparison.Ordinal) && l.Contains("\"enforced_action\":\"reject\"", StringComparison.Ordinal));
        await File.WriteAllTextAsync(hostile, line.Replace("\"spf_domain\":\"example.net\"", "\"spf_domain\":\"=HYPERLINK(\\\"x\\\",\\\"y\\\")\"", StringComparison.Ordinal) + "\n");

        var (exit, output, error) = await CliRunner.RunAsync("rollout", "--csv", hostile);

        Assert.True(exit == 0, error);
        Assert.StartsWith("table,key,count,approximate,first,last,rules,looks_legitimate,fix,tell\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("top_domains,\"'=hyperlink(\"\"x\"\",\"\"y\"\")\",1,false,", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rollout", "/nonexistent/decisions.jsonl")]
    [InlineData("rollout", "--json", "--csv", "-")]
    [InlineData("rollout", "-", "-")]
    [InlineData("rollout", "--config", "/nonexistent/new.toml", "-")]
    public async Task WrongInputIsAUsageError(params string[] args)
    {
        var (exit, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("vouch: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyLogSaysSo()
    {
        var (exit, output, _) = await CliRunner.RunWithInputAsync("", "rollout");

        Assert.Equal(0, exit);
        Assert.Contains("no decision lines", output, StringComparison.Ordinal);
    }
}
