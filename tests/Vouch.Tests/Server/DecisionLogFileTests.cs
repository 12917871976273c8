using System.Text;
using Vouch.DecisionLog;
using Vouch.Policy;
using Vouch.Server;

namespace Vouch.Tests.Server;

public sealed class DecisionLogFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-decision-log-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task TheServiceWritesEveryDecisionWithItsEvidenceAndAReloadMovesTheFile()
    {
        var first = Path.Combine(folder, "first.jsonl");
        var second = Path.Combine(folder, "second.jsonl");
        var configuration = Path.Combine(folder, "vouch.toml");
        await File.WriteAllTextAsync(configuration, $"[server]\ndecision_log = \"{first}\"\n");
        await using (var host = await PolicyServiceHost.StartAsync(new ServiceSources(configuration, [Cli.CliRunner.DemoZone], []), TextWriter.Null, CancellationToken.None))
        {
            await ServeAsync(host, "198.51.100.7", "orders@shop.example.org", "mx.shop.example.org");
            // The line is written by a background task; a reload takes effect for lines not yet written.
            await WhenWrittenAsync(first);
            await File.WriteAllTextAsync(configuration, $"[server]\ndecision_log = \"{second}\"\n");
            Assert.True(await host.ReloadAsync(CancellationToken.None));
            await ServeAsync(host, "192.0.2.10", "alice@example.com", "mail.example.com");
        }

        var shop = Assert.Single(await ReadAsync(first));
        Assert.Equal(("policy", "198.51.100.7", "orders@shop.example.org", RuleCondition.SpfSoftFail, PolicyAction.Tag, PolicyAction.Reject), (shop.FrontEnd, shop.Client, shop.Sender, shop.Rule, shop.Action, shop.EnforcedAction));
        Assert.Equal("~all", shop.Evidence!.MailFromSpf.Mechanism);
        Assert.StartsWith("550 5.7.1 ", shop.Reply, StringComparison.Ordinal);
        var alice = Assert.Single(await ReadAsync(second));
        Assert.Equal(RuleCondition.SpfPass, alice.Rule);
        Assert.NotEqual(shop.Configuration, alice.Configuration);
    }

    [Fact]
    public void AFileThatCannotBeWrittenLosesItsLinesSaysSoOnceAndRecovers()
    {
        var problems = new List<string>();
        var missing = Path.Combine(folder, "not-yet", "decisions.jsonl");
        using var file = new DecisionLogFile(problems.Add);
        file.Configure(missing, 1 << 20, 2);

        file.WriteLine("{\"v\":1}");
        file.WriteLine("{\"v\":1}");
        Assert.Equal(2, file.Lost);
        Assert.Contains("cannot write the decision log", Assert.Single(problems), StringComparison.Ordinal);

        Directory.CreateDirectory(Path.GetDirectoryName(missing)!);
        file.WriteLine("{\"v\":1}");
        file.Flush();
        Assert.Equal(2, problems.Count);
        Assert.Contains("is written again (2 lines lost)", problems[1], StringComparison.Ordinal);
        Assert.Equal("{\"v\":1}\n", File.ReadAllText(missing));
    }

    [Fact]
    public void ALineLongerThanTheRotationSizeStillGetsWrittenWhole()
    {
        var path = Path.Combine(folder, "small.jsonl");
        using var file = new DecisionLogFile(_ => { });
        file.Configure(path, 10, 1);

        file.WriteLine(new string('a', 100));
        file.WriteLine(new string('b', 100));
        file.Flush();

        Assert.Equal(new string('b', 100) + "\n", File.ReadAllText(path));
        Assert.Equal(new string('a', 100) + "\n", File.ReadAllText(path + ".1"));
    }

    private static async Task ServeAsync(PolicyServiceHost host, string client, string sender, string helo)
    {
        var request = $"request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address={client}\nhelo_name={helo}\nsender={sender}\nrecipient=u@receiver.example\ninstance={Guid.NewGuid():N}\n\n";
        using var input = new MemoryStream(Encoding.ASCII.GetBytes(request));
        using var output = new MemoryStream();
        await host.ServeConnectionAsync(input, output, CancellationToken.None);
        Assert.StartsWith("action=", Encoding.ASCII.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    private static async Task WhenWrittenAsync(string path)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(File.Exists(path) && new FileInfo(path).Length > 0))
        {
            await Task.Delay(10, giveUp.Token);
        }
    }

    private static async Task<List<DecisionRecord>> ReadAsync(string path) =>
        [.. (await File.ReadAllLinesAsync(path)).Select(line => DecisionRecordJson.TryParse(line, out var record, out var problem) ? record! : throw new InvalidDataException(problem))];
}
