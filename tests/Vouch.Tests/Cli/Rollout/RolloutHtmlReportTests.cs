using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Vouch.Cli.Rollout;

namespace Vouch.Tests.Cli.Rollout;

/// <summary>
/// The rollout HTML report, written from a summary and opened in headless Chromium from a file:// address: the
/// tests read the DOM after the page's scripts ran. The pages and a screenshot stay in TestResults/rollout-report/
/// under the repository for a person to look at.
/// </summary>
public sealed partial class RolloutHtmlReportTests
{
    private static readonly string OutputFolder = Path.Combine(TestPaths.RepositoryRoot, "TestResults", "rollout-report");

    [Fact]
    public async Task The_page_draws_both_charts_from_the_summary()
    {
        var summary = RolloutSampleSummary.Full();
        var document = await OpenInChromiumAsync("full", summary);

        AssertRenderedWithoutErrors(document);
        var weeks = summary["weeks"]!.AsArray();
        var weekly = Chart(document, "weekly-chart");
        Assert.Equal("3", weekly.GetAttribute("data-drawn-series"));
        Assert.Equal(weeks.Count.ToString(Culture), weekly.GetAttribute("data-drawn-points"));
        Assert.Equal(
            weeks.Sum(w => new[] { "accept", "tag", "defer", "reject" }.Sum(a => (int)w![a]!)).ToString(Culture),
            weekly.GetAttribute("data-drawn-total"));

        var refusing = summary["by_rule"]!.AsArray().Where(r => (string)r!["enforced_action"]! is "reject" or "defer").ToList();
        var rules = Chart(document, "rule-chart");
        Assert.Equal("2", rules.GetAttribute("data-drawn-series"));
        Assert.Equal(refusing.Count.ToString(Culture), rules.GetAttribute("data-drawn-points"));
        Assert.Equal(refusing.Sum(r => (int)r!["count"]!).ToString(Culture), rules.GetAttribute("data-drawn-total"));
        Assert.Equal(summary["by_rule"]!.AsArray().Count, document.QuerySelectorAll("#rule-table tbody tr").Length);

        Assert.Contains("20.3 %", document.QuerySelector("#headline .headline")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("30", document.QuerySelector("#what-if-changes tbody tr td:last-child")!.TextContent);
    }

    [Fact]
    public async Task Each_top_table_has_one_row_per_entry_with_its_evidence()
    {
        var summary = RolloutSampleSummary.Full();
        var document = await OpenInChromiumAsync("tables", summary);

        AssertRenderedWithoutErrors(document);
        foreach (var (table, field) in new[] { ("owners", "top_owners"), ("domains", "top_domains"), ("networks", "top_networks") })
        {
            var expected = summary[field]!.AsArray();
            var rows = document.QuerySelectorAll($"#{table}-table tr.row");
            Assert.Equal(expected.Select(r => (string)r!["key"]!), rows.Select(r => r.GetAttribute("data-key")));
            Assert.Equal(expected.Count, document.QuerySelectorAll($"#{table}-table details.evidence table.kv").Length);
        }

        var first = document.QuerySelector("#owners-table tr.row")!;
        Assert.Equal("example.com", first.QuerySelector("td.key")!.TextContent);
        Assert.Equal("42", first.QuerySelector("td.num")!.TextContent);
        Assert.Equal(["fcrdns", "steady"], first.QuerySelectorAll(".flag").Select(f => f.TextContent));
        Assert.Equal("postmaster@example.com", first.QuerySelector("td.tell")!.TextContent);
        var evidence = first.ParentElement!.QuerySelector("details.evidence")!;
        Assert.Equal("192.0.2.7", evidence.QuerySelector("td[data-key='client']")!.TextContent);
        Assert.Equal("spf_none", evidence.QuerySelector("td[data-key='rule']")!.TextContent);
        Assert.Equal("fcrdns", evidence.QuerySelector("td[data-key='identity']")!.TextContent);
        Assert.StartsWith("≈", document.QuerySelector("#domains-table tbody:last-child tr.row td.num")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_client_text_is_shown_as_text_and_never_becomes_markup()
    {
        var document = await OpenInChromiumAsync("hostile", RolloutSampleSummary.Full());

        AssertRenderedWithoutErrors(document);
        var helo = document.QuerySelector("#owners-table td[data-key='helo']")!;
        Assert.Equal(RolloutSampleSummary.HostileHelo, helo.TextContent);
        Assert.Empty(helo.Children);
        var sender = document.QuerySelectorAll("#owners-table td[data-key='sender']").Select(s => s.TextContent);
        Assert.Contains(RolloutSampleSummary.HostileSender, sender);
        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.Null(document.GetElementById("pwned"));
        // The summary is still one script element holding all of the JSON.
        Assert.Single(document.QuerySelectorAll("script#summary"));
        Assert.Equal(3, document.QuerySelectorAll("script").Length);
    }

    [Fact]
    public async Task A_log_without_decisions_shows_empty_states_instead_of_charts()
    {
        var document = await OpenInChromiumAsync("empty", RolloutSampleSummary.Empty());

        AssertRenderedWithoutErrors(document);
        foreach (var id in new[] { "weekly-chart", "rule-chart" })
        {
            var box = document.GetElementById(id)!;
            Assert.Equal("empty", box.GetAttribute("data-state"));
            Assert.Null(box.GetAttribute("data-drawn-series"));
            Assert.NotNull(box.QuerySelector("p.empty"));
            Assert.Null(box.QuerySelector("canvas"));
        }

        Assert.StartsWith("The logs held no decision", document.QuerySelector("#headline .headline")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll("tr.row"));
        Assert.Equal("None.", document.QuerySelector("#owners p.empty")!.TextContent);
        Assert.Null(document.GetElementById("what-if"));
    }

    [Fact]
    public async Task A_screenshot_is_left_for_a_person_to_look_at()
    {
        // TestResults/rollout-report/rollout-report.png under the repository.
        var page = await WritePageAsync("screenshot", RolloutSampleSummary.Full());
        var png = Path.Combine(OutputFolder, "rollout-report.png");

        await HeadlessChromium.ScreenshotAsync(page, png);

        Assert.True(new FileInfo(png).Length > 10_000, $"{png} is only {new FileInfo(png).Length} bytes");
    }

    [Fact]
    public async Task The_page_needs_no_network_and_embeds_the_summary_unchanged()
    {
        var summary = RolloutSampleSummary.Full();
        var html = await WriteAsync(Json(summary));

        // uPlot's licence comment and its own banner name its repository; nothing else names an address.
        Assert.Equal(["https://github.com/leeoniya/uPlot"], AddressPattern().Matches(html).Select(m => m.Value).Distinct());
        Assert.DoesNotContain("</script><img", html, StringComparison.Ordinal);
        Assert.Contains(@"\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e", html, StringComparison.Ordinal);

        var embedded = new HtmlParser().ParseDocument(html).GetElementById("summary")!.TextContent;
        Assert.True(JsonNode.DeepEquals(summary, JsonNode.Parse(embedded)), "the embedded summary differs from the one given");
    }

    [Fact]
    public async Task The_report_of_a_real_decision_log_shows_its_weeks_rows_and_what_if()
    {
        using var world = await DecisionLogWorld.CreateAsync();
        var lax = Path.Combine(world.Folder, "lax.toml");
        await File.WriteAllTextAsync(lax, await File.ReadAllTextAsync(Path.Combine(world.Folder, "vouch.toml")) + "\n[policy]\nsoftfail_action = \"accept\"\n");
        Directory.CreateDirectory(OutputFolder);
        var page = Path.Combine(OutputFolder, "demo-log.html");

        var (exit, output, error) = await CliRunner.RunAsync(["rollout", "--json", "--config", lax, "--html", page, .. world.Files]);

        Assert.True(exit == 0, error);
        using var summary = JsonDocument.Parse(output);
        var document = new HtmlParser().ParseDocument(await HeadlessChromium.DumpDomAsync(page));
        AssertRenderedWithoutErrors(document);
        var weekly = Chart(document, "weekly-chart");
        Assert.Equal(DecisionLogWorld.Weeks.ToString(Culture), weekly.GetAttribute("data-drawn-points"));
        Assert.Equal(world.Decisions.ToString(Culture), weekly.GetAttribute("data-drawn-total"));
        foreach (var (table, field) in new[] { ("owners", "top_owners"), ("domains", "top_domains"), ("networks", "top_networks") })
        {
            Assert.Equal(
                summary.RootElement.GetProperty(field).EnumerateArray().Select(r => r.GetProperty("key").GetString()),
                document.QuerySelectorAll($"#{table}-table tr.row").Select(r => r.GetAttribute("data-key")));
        }

        Assert.Equal(DecisionLogWorld.SoftFails.ToString(Culture), document.QuerySelector("#what-if-changes tbody tr td:last-child")!.TextContent);
        await HeadlessChromium.ScreenshotAsync(page, Path.Combine(OutputFolder, "demo-log.png"));
        Assert.True(new FileInfo(Path.Combine(OutputFolder, "demo-log.png")).Length > 10_000);
    }

    [Fact]
    public async Task Text_that_is_not_json_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync("{\"schema\": \"vouch-rollout/1\", \"helo\": \"\\<\"}"));
    }

    private static System.Globalization.CultureInfo Culture => System.Globalization.CultureInfo.InvariantCulture;

    [GeneratedRegex(@"(?i)\b[a-z][a-z0-9+.-]*://[^\s""'<>)]*")]
    private static partial Regex AddressPattern();

    // Written as a program might print it: with < > & as they are, the hardest case for the page.
    private static string Json(JsonObject summary) =>
        summary.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true });

    private static async Task<string> WriteAsync(string summaryJson)
    {
        using var html = new StringWriter();
        await RolloutHtmlReport.WriteAsync(html, summaryJson, CancellationToken.None);
        return html.ToString();
    }

    private static async Task<string> WritePageAsync(string name, JsonObject summary)
    {
        Directory.CreateDirectory(OutputFolder);
        var page = Path.Combine(OutputFolder, name + ".html");
        await File.WriteAllTextAsync(page, await WriteAsync(Json(summary)), new UTF8Encoding(false));
        return page;
    }

    private static async Task<IDocument> OpenInChromiumAsync(string name, JsonObject summary)
    {
        var dom = await HeadlessChromium.DumpDomAsync(await WritePageAsync(name, summary));
        return new HtmlParser().ParseDocument(dom);
    }

    private static void AssertRenderedWithoutErrors(IDocument document)
    {
        Assert.Equal("true", document.Body!.GetAttribute("data-rendered"));
        Assert.Equal("0", document.Body.GetAttribute("data-errors"));
        Assert.Equal("0", document.Body.GetAttribute("data-loads"));
        Assert.Equal("0", document.Body.GetAttribute("data-refused-loads"));
        Assert.Empty(document.QuerySelectorAll(".section-error"));
    }

    private static IElement Chart(IDocument document, string id)
    {
        var box = document.GetElementById(id)!;
        Assert.Equal("drawn", box.GetAttribute("data-state"));
        Assert.NotNull(box.QuerySelector("canvas"));
        return box;
    }
}
