using System.IO.Pipelines;
using System.Text.Json;
using Vouch.Cli;

namespace Vouch.Tests.Cli;

public sealed class BatchCommandTests
{
    [Fact]
    public async Task AnswersEveryLineInOrderAndGoesOnAfterABadLine()
    {
        var input = string.Join('\n',
            """{"ip":"192.0.2.10","sender":"alice@example.com","helo":"mail.example.com"}""",
            """{"ip":"not-an-ip","sender":"x@example.com","helo":"h.example"}""",
            "this is not json",
            """{"ip":"203.0.113.66","sender":"alice@example.com","helo":"spoofer.example.net"}""",
            """{"ip":"198.51.100.7","sender":"orders@shop.example.org","helo":"mx.shop.example.org"}""",
            """{"ip":"192.0.2.25","sender":"","helo":"mail.example.com"}""",
            """[1,2]""") + "\n";

        var (exitCode, output, _) = await CliRunner.RunWithInputAsync(input, "check", "--zone", CliRunner.DemoZone, "--batch", "-");

        Assert.Equal(0, exitCode);
        var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal(7, answers.Length);
        Assert.Equal("pass", Spf(answers[0]));
        Assert.Contains("ip: 'not-an-ip' is not an IP address", answers[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, answers[1].GetProperty("line").GetInt32());
        Assert.StartsWith("not JSON", answers[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("fail", Spf(answers[3]));
        Assert.Equal("softfail", Spf(answers[4]));
        Assert.Equal("pass", Spf(answers[5]));
        Assert.Equal("", answers[5].GetProperty("sender").GetString());
        Assert.Contains("expected a JSON object", answers[6].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachAnswerIsFlushedBeforeTheNextLineArrives()
    {
        var stdin = new Pipe();
        var stdout = new Pipe();
        using var input = new StreamReader(stdin.Reader.AsStream());
        await using var output = new StreamWriter(stdout.Writer.AsStream());
        using var answers = new StreamReader(stdout.Reader.AsStream());
        await using var feed = new StreamWriter(stdin.Writer.AsStream()) { AutoFlush = true };
        using var error = new StringWriter();

        var run = VouchCommandLine.RunAsync(["check", "--zone", CliRunner.DemoZone, "--batch", "-"], input, output, error, CancellationToken.None);
        var safety = TimeSpan.FromSeconds(60);

        await feed.WriteLineAsync("""{"ip":"192.0.2.10","sender":"alice@example.com","helo":"mail.example.com"}""");
        var first = await answers.ReadLineAsync().WaitAsync(safety);
        await feed.WriteLineAsync("""{"ip":"203.0.113.66","sender":"alice@example.com","helo":"x.example"}""");
        var second = await answers.ReadLineAsync().WaitAsync(safety);
        feed.Close();

        Assert.Equal(0, await run.WaitAsync(safety));
        Assert.Equal("pass", Spf(JsonDocument.Parse(first!).RootElement));
        Assert.Equal("fail", Spf(JsonDocument.Parse(second!).RootElement));
    }

    private static string? Spf(JsonElement answer) => answer.GetProperty("spf").GetProperty("result").GetString();
}
