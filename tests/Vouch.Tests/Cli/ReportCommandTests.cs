using System.Net;
using System.Text;
using Vouch.Reputation;

namespace Vouch.Tests.Cli;

/// <summary>`vouch report` (the IMAPSieve pipe) and `vouch reputation` on a SQLite store, in-process, with the configuration's ticket key.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");

    private readonly string folder = Directory.CreateTempSubdirectory("vouch-report-cli-").FullName;
    private readonly string config;
    private readonly string offConfig;

    public ReportCommandTests()
    {
        config = Path.Combine(folder, "vouch.toml");
        File.WriteAllText(config, $"""
            [reputation]
            enabled = true
            store = "sqlite"
            path = "{Path.Combine(folder, "reputation.db")}"
            ticket_key = "{Convert.ToBase64String(Key)}"
            node = "mx1"
            """);
        offConfig = Path.Combine(folder, "off.toml");
        File.WriteAllText(offConfig, "[reputation]\nenabled = false\n");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_message_with_its_ticket_is_counted_once_and_the_second_report_is_a_duplicate()
    {
        var message = Message(Ticket());

        var first = await CliRunner.RunWithInputAsync(message, "report", "spam", "--reporter", "u1", "--config", config);
        var second = await CliRunner.RunWithInputAsync(message, "report", "spam", "--reporter", "u1", "--config", config);

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("vouch: counted: counted against example.com via - (", first.Output, StringComparison.Ordinal);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("duplicate", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_kind_is_a_usage_error()
    {
        var (exitCode, _, error) = await CliRunner.RunWithInputAsync(Message(Ticket()), "report", "frob", "--config", config);

        Assert.Equal(2, exitCode);
        Assert.Contains("'frob' is not spam, ham or arf", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reporting_with_reputation_off_is_a_usage_error_that_says_how_to_turn_it_on()
    {
        var (exitCode, _, error) = await CliRunner.RunWithInputAsync(Message(Ticket()), "report", "spam", "--reporter", "u1", "--config", offConfig);

        Assert.Equal(2, exitCode);
        Assert.Contains($"reputation is off in {offConfig}: set [reputation] enabled = true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_pin_audit_and_clear_work_on_the_store()
    {
        Assert.Equal(0, (await CliRunner.RunWithInputAsync(Message(Ticket()), "report", "spam", "--reporter", "u1", "--config", config)).ExitCode);

        var shown = await CliRunner.RunAsync("reputation", "show", "example.com", "--config", config);
        var pinned = await CliRunner.RunAsync("reputation", "pin", "example.com", "--state", "blocked", "--reason", "x", "--config", config);
        var shownPinned = await CliRunner.RunAsync("reputation", "show", "example.com", "--config", config);
        var audit = await CliRunner.RunAsync("reputation", "audit", "--config", config);
        var cleared = await CliRunner.RunAsync("reputation", "clear", "example.com", "--reason", "y", "--config", config);
        var shownCleared = await CliRunner.RunAsync("reputation", "show", "example.com", "--config", config);

        Assert.Equal(0, shown.ExitCode);
        Assert.StartsWith("example.com via -: neutral since ", shown.Output, StringComparison.Ordinal);
        Assert.Equal((0, "vouch: example.com via - pinned blocked: x"), (pinned.ExitCode, pinned.Output.TrimEnd()));
        Assert.StartsWith("example.com via -: blocked since ", shownPinned.Output, StringComparison.Ordinal);
        Assert.Contains("(pinned: x)", shownPinned.Output, StringComparison.Ordinal);
        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("pin blocked example.com by ", audit.Output, StringComparison.Ordinal);
        Assert.EndsWith(": x", audit.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal((0, "vouch: example.com cleared: y"), (cleared.ExitCode, cleared.Output.TrimEnd()));
        Assert.Equal((0, "example.com: no reports, no deliveries counted: neutral"), (shownCleared.ExitCode, shownCleared.Output.TrimEnd()));
    }

    [Theory]
    [InlineData("40", "12", "6", "blocked")]
    [InlineData("2000", "6", "6", "neutral")]
    public async Task Simulate_prints_the_state_the_thresholds_give(string delivered, string reports, string reporters, string state)
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("reputation", "simulate", "--delivered", delivered, "--reports", reports, "--reporters", reporters);

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"example.com via -: {state} since ", output, StringComparison.Ordinal);
    }

    public static TheoryData<string> Hostile => new()
    {
        "",
        "\0\0\0\0",
        "\r\n\r\n",
        "no colon here at all\r\n\r\nbody",
        ": empty name\r\n\r\n",
        new string('A', 200_000),
        "Vouch-Ticket\r\n\r\n",
        Garbage(4096),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_message_without_a_ticket_is_no_ticket_and_never_a_crash(string message)
    {
        var (exitCode, output, error) = await CliRunner.RunWithInputAsync(message, "report", "spam", "--reporter", "u1", "--config", config);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("vouch: no_ticket: ", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    private static string Ticket()
    {
        var signer = new TicketSigner(Key, null, "mx1");
        var vouching = new Vouching("example.com", null, VouchMethod.Spf, VouchStrength.Strong, "example.com", "ip4:192.0.2.0/24");
        return signer.Format(signer.Issue(vouching, IPAddress.Parse("192.0.2.10"), ""));
    }

    private static string Message(string ticket) =>
        $"Vouch-Ticket: {ticket}\r\nReceived: from client.example by mx1.receiver.example (Postfix) with ESMTP id 4ABCD1234\r\nSubject: hi\r\n\r\nbody\r\n";

    /// <summary>Bytes 0–255 in a fixed pseudo-random order, read as Latin-1 (what a pipe of junk turns into).</summary>
    private static string Garbage(int length)
    {
        var random = new Random(20261207);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return Encoding.Latin1.GetString(bytes);
    }
}
