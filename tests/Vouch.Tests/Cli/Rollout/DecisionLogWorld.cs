using System.IO.Compression;
using Microsoft.Extensions.Time.Testing;
using Vouch.Server;

namespace Vouch.Tests.Cli.Rollout;

/// <summary>
/// Decision logs made by the real checker, not typed by hand: the demo zone's senders sent through the policy
/// responder over five weeks on a fake clock, into a rotating decision log file (the last rotated file gzipped,
/// as logrotate's compress leaves it). Each week the shop's softfailing server sends one message fewer.
/// </summary>
internal sealed class DecisionLogWorld : IDisposable
{
    /// <summary>Monday 2 November 2026, the first week's start.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    public const int Weeks = 5;

    /// <summary>The demo's senders: client, sender, HELO, how many each week (by week index).</summary>
    public static readonly (string Client, string Sender, string Helo, Func<int, int> PerWeek)[] Senders =
    [
        ("192.0.2.10", "alice@example.com", "mail.example.com", _ => 10),                  // SPF pass
        ("203.0.113.66", "alice@example.com", "spoofer.example.net", _ => 2),              // SPF fail
        ("198.51.100.7", "orders@shop.example.org", "mx.shop.example.org", week => 5 - week), // softfail, shrinking
        ("198.51.100.20", "bob@example.net", "mail.example.net", _ => 3),                  // none
        ("198.51.100.30", "bob@example.net", "relay.example.net", _ => 4),                 // registered by MX
        ("203.0.113.99", "carol@example.net", "dsl-203-0-113-99.isp.example", _ => 3),     // home connection
        ("198.51.100.20", "alerts@noreply.example.org", "mail.example.net", _ => 1),       // Null MX
        ("198.51.100.60", "secretary@club.example.org", "relay.provider.example", _ => 2), // RMX
        ("203.0.113.7", "win@spammer.example", "mx.spammer.example", _ => 2),              // RHSBL
    ];

    /// <summary>Softfail decisions in all: 5 + 4 + 3 + 2 + 1.</summary>
    public const int SoftFails = 15;

    private DecisionLogWorld(string folder, IReadOnlyList<string> files, int decisions)
    {
        Folder = folder;
        Files = files;
        Decisions = decisions;
    }

    public string Folder { get; }

    /// <summary>The log files, oldest first: FILE.N.gz (gzipped), FILE.N-1 … FILE.1, FILE.</summary>
    public IReadOnlyList<string> Files { get; }

    public int Decisions { get; }

    public static int DecisionsPerWeek(int week) => Senders.Sum(s => s.PerWeek(week));

    /// <summary>Writes the log under <paramref name="configurationText"/> (the demo's by default), rotating every <paramref name="rotateBytes"/>.</summary>
    public static async Task<DecisionLogWorld> CreateAsync(string? configurationText = null, long rotateBytes = 16 * 1024, int keep = 50)
    {
        var folder = Directory.CreateTempSubdirectory("vouch-rollout-").FullName;
        var configuration = Path.Combine(folder, "vouch.toml");
        await File.WriteAllTextAsync(configuration, configurationText ?? await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.toml")));
        var (checker, setup) = await CheckerFactory.CreateAsync(new ServiceSources(configuration, [CliRunner.DemoZone], []), collectTrace: false, TextWriter.Null, null, CancellationToken.None);
        await using var ownedSetup = setup;
        var path = Path.Combine(folder, "decisions.jsonl");
        var problems = new List<string>();
        using var file = new DecisionLogFile(problems.Add);
        file.Configure(path, rotateBytes, keep);
        var clock = new FakeTimeProvider(Start);
        var responder = new PolicyResponder(checker, checker.Configuration.Server, TextWriter.Null, null, clock, file);
        var decisions = 0;
        for (var week = 0; week < Weeks; week++)
        {
            var message = 0;
            foreach (var (client, sender, helo, perWeek) in Senders)
            {
                for (var i = 0; i < perWeek(week); i++, message++)
                {
                    // Spread evenly over the week, so that every sender is seen on several days.
                    clock.SetUtcNow(Start.AddDays(week * 7).AddHours(message * 7.0 * 24 / DecisionsPerWeek(week)));
                    await responder.AnswerAsync(Request(client, sender, helo, $"Q{week}{message:000}"), CancellationToken.None);
                    decisions++;
                }
            }
        }

        file.Flush();
        Assert.Empty(problems);
        var rotated = Directory.GetFiles(folder, "decisions.jsonl.*").Where(f => f != path).OrderByDescending(f => int.Parse(f[(f.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(rotated);
        var oldest = rotated[0];
        await using (var source = File.OpenRead(oldest))
        await using (var target = new GZipStream(File.Create(oldest + ".gz"), CompressionLevel.Fastest))
        {
            await source.CopyToAsync(target);
        }

        File.Delete(oldest);
        rotated[0] = oldest + ".gz";
        return new DecisionLogWorld(folder, [.. rotated, path], decisions);
    }

    public static Vouch.Server.PolicyRequest Request(string client, string sender, string helo, string queueId) => new(new Dictionary<string, string>
    {
        ["request"] = "smtpd_access_policy",
        ["protocol_state"] = "RCPT",
        ["client_address"] = client,
        ["helo_name"] = helo,
        ["sender"] = sender,
        ["recipient"] = "postmaster@receiver.example",
        ["queue_id"] = queueId,
        ["instance"] = queueId,
    });

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
