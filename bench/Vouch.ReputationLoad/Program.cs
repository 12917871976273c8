using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vouch.Reputation;
using Vouch.Server;

namespace Vouch.ReputationLoad;

/// <summary>
/// Load for owner reputation's store: <c>seed</c> pins rows (so that the state map is not empty), <c>ingest</c> pushes
/// distinct spam reports through <see cref="ReportIngest.ReportTicketAsync"/> into SQLite or Redis, set up as
/// <c>vouch serve</c> sets it up (<see cref="ReputationSetup"/>: the state map, its refreshes and the state-change
/// subscription), and <c>http</c> posts them to a running service's <c>POST /v1/reports</c>. A benchmark, not a test.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Load for owner reputation: seed a store, and measure report ingestion (reports/s) directly and over HTTP.")
        {
            SeedCommand(), IngestCommand(), HttpCommand(),
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration(), CancellationToken.None);
    }

    private static Option<string> StoreOption() => new("--store") { Description = "sqlite or redis.", Required = true, HelpName = "KIND" };

    private static Option<string> PathOption() => new("--path") { Description = "The SQLite database.", DefaultValueFactory = _ => "reputation.db", HelpName = "FILE" };

    private static Option<string> RedisOption() => new("--redis") { Description = "The Redis server (StackExchange.Redis configuration).", DefaultValueFactory = _ => "127.0.0.1:6379", HelpName = "HOST:PORT" };

    private static Option<string> KeyOption() => new("--ticket-key") { Description = "The ticket key, base64 (the service's [reputation] ticket_key).", Required = true, HelpName = "BASE64" };

    private static Option<int> ReportsOption() => new("--reports") { Description = "Reports per pass, each with its own ticket and reporter.", DefaultValueFactory = _ => 20_000, HelpName = "N" };

    private static Option<int> OwnersOption() => new("--per-owner") { Description = "Reports per owner (1: no row changes state; 6 or more: every owner turns suspect, then blocked).", DefaultValueFactory = _ => 1, HelpName = "R" };

    private static Option<string> ConcurrencyOption() => new("--concurrency") { Description = "Reporters at once, one report in flight each; a comma-separated list makes one pass each.", DefaultValueFactory = _ => "1,16", HelpName = "C,…" };

    private static Option<int> SecondsOption() => new("--max-seconds") { Description = "No report starts after this many seconds of a pass.", DefaultValueFactory = _ => 30, HelpName = "S" };

    private static ReputationOptions Options(ParseResult result, Option<string> store, Option<string> path, Option<string> redis, Option<string> key) => new()
    {
        Enabled = true,
        Store = result.GetValue(store) switch
        {
            "sqlite" => ReputationStoreKind.Sqlite,
            "redis" => ReputationStoreKind.Redis,
            var other => throw new ArgumentException($"--store: '{other}' is not sqlite or redis"),
        },
        Path = Path.GetFullPath(result.GetValue(path)!),
        Redis = result.GetValue(redis)!,
        TicketKey = Convert.FromBase64String(result.GetValue(key)!),
        Node = "bench",
    };

    private static int[] Concurrencies(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];

    /// <summary>seed: pins the rows listed in a file ("OWNER STATE" a line), as <c>vouch reputation pin</c> does, one by one.</summary>
    private static Command SeedCommand()
    {
        var (store, path, redis, key) = (StoreOption(), PathOption(), RedisOption(), KeyOption());
        var pins = new Option<string>("--pins") { Description = "Lines of OWNER STATE (blocked or suspect).", Required = true, HelpName = "FILE" };
        var command = new Command("seed", "Pin rows (OWNER STATE lines) so that the state map is not empty.") { store, path, redis, key, pins };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = Options(result, store, path, redis, key);
            await using var setup = await ReputationSetup.OpenAsync(options, null, null, null, null, cancellationToken);
            var counts = new Dictionary<ReputationState, int>();
            foreach (var line in await File.ReadAllLinesAsync(result.GetValue(pins)!, cancellationToken))
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length != 2 || !VouchWords.TryParseState(words[1], out var state))
                {
                    continue;
                }

                await setup.Store.PinAsync(new ReputationKey(words[0], Vouching.NoVia, ""), state, new ReputationAdminAction("pin " + state.ToToken(), words[0], "benchmark seed", "bench", DateTimeOffset.UtcNow), cancellationToken);
                counts[state] = counts.GetValueOrDefault(state) + 1;
            }

            await setup.Store.FlushAsync(cancellationToken);
            await setup.RefreshAsync(cancellationToken);
            Console.WriteLine($"reputation-load: pinned {string.Join(", ", counts.Select(c => $"{c.Value} {c.Key.ToToken()}"))} in {setup.Store.Description}; the map now holds {setup.Map.Rows.Count} rows");
            return 0;
        });
        return command;
    }

    /// <summary>ingest: reports through ReportIngest, set up as the service does.</summary>
    private static Command IngestCommand()
    {
        var (store, path, redis, key) = (StoreOption(), PathOption(), RedisOption(), KeyOption());
        var (reports, perOwner, concurrency, seconds) = (ReportsOption(), OwnersOption(), ConcurrencyOption(), SecondsOption());
        var command = new Command("ingest", "Push distinct spam reports through ReportIngest.ReportTicketAsync into the store, one pass per concurrency.") { store, path, redis, key, reports, perOwner, concurrency, seconds };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = Options(result, store, path, redis, key);
            await using var setup = await ReputationSetup.OpenAsync(options, null, null, null, null, cancellationToken);
            using var stop = new CancellationTokenSource();
            var refreshes = setup.RunRefreshesAsync(stop.Token);
            var signer = new TicketSigner(options.TicketKey!, null, "bench");
            var count = result.GetValue(reports);
            var per = Math.Max(1, result.GetValue(perOwner));
            var deadline = TimeSpan.FromSeconds(result.GetValue(seconds));
            Console.WriteLine($"reputation-load ingest: {setup.Store.Description}; {count:N0} reports a pass, {per} per owner ({(count + per - 1) / per:N0} owners), each report its own ticket and reporter; a pass stops starting reports after {deadline.TotalSeconds:0} s");

            // Warm-up (JIT, connections, the first pages of the database), over owners of its own.
            var warm = ReportWorkload.Make(signer, 2_000, 2_000 / per, "warm" + Environment.ProcessId);
            await ConcurrentRun.RunAsync(warm.Count, 64, deadline, i => setup.Ingest.ReportTicketAsync(warm.Tickets[i], warm.Reporters[i], ReportKind.Spam, ReportSource.User, cancellationToken));
            await setup.Store.FlushAsync(cancellationToken);

            foreach (var c in Concurrencies(result.GetValue(concurrency)!))
            {
                var run = string.Create(CultureInfo.InvariantCulture, $"r{Environment.ProcessId}c{c}");
                var work = ReportWorkload.Make(signer, count, (count + per - 1) / per, run);
                var before = Snapshot(setup.Ingest.Counters);
                var (elapsed, latencies) = await ConcurrentRun.RunAsync(work.Count, c, deadline, i => setup.Ingest.ReportTicketAsync(work.Tickets[i], work.Reporters[i], ReportKind.Spam, ReportSource.User, cancellationToken));
                await setup.Store.FlushAsync(cancellationToken);
                Console.WriteLine(ConcurrentRun.Describe($"concurrency {c,4}", latencies.Length, elapsed, latencies));
                Console.WriteLine($"  outcomes: {Changes(before, Snapshot(setup.Ingest.Counters))}; rows in the state map now: {setup.Map.Rows.Count}");
            }

            await stop.CancelAsync();
            await refreshes;
            return 0;
        });
        return command;
    }

    /// <summary>http: the same reports posted to POST /v1/reports of a running service.</summary>
    private static Command HttpCommand()
    {
        var key = KeyOption();
        var (reports, perOwner, concurrency, seconds) = (ReportsOption(), OwnersOption(), ConcurrencyOption(), SecondsOption());
        var url = new Option<string>("--url") { Description = "The endpoint, http://127.0.0.1:PORT/v1/reports.", Required = true, HelpName = "URL" };
        var token = new Option<string>("--token") { Description = "The bearer token ([reputation] report_token).", Required = true, HelpName = "TOKEN" };
        var command = new Command("http", "Post distinct spam reports to a running service's report endpoint, one pass per concurrency.") { key, url, token, reports, perOwner, concurrency, seconds };
        command.SetAction(async (result, cancellationToken) =>
        {
            var signer = new TicketSigner(Convert.FromBase64String(result.GetValue(key)!), null, "bench");
            var count = result.GetValue(reports);
            var per = Math.Max(1, result.GetValue(perOwner));
            var deadline = TimeSpan.FromSeconds(result.GetValue(seconds));
            var endpoint = new Uri(result.GetValue(url)!);
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", result.GetValue(token));
            Console.WriteLine($"reputation-load http: {endpoint}; {count:N0} reports a pass, {per} per owner, each its own ticket and reporter; keep-alive connections, one request in flight each");
            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();

            async Task PostAsync(ReportWorkload work, int i)
            {
                var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["ticket"] = work.Tickets[i], ["kind"] = "spam", ["reporter"] = work.Reporters[i], ["source"] = "user" });
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            }

            var warm = ReportWorkload.Make(signer, 2_000, 2_000 / per, "hwarm" + Environment.ProcessId);
            await ConcurrentRun.RunAsync(warm.Count, 64, deadline, i => PostAsync(warm, i));
            foreach (var c in Concurrencies(result.GetValue(concurrency)!))
            {
                statuses.Clear();
                var work = ReportWorkload.Make(signer, count, (count + per - 1) / per, string.Create(CultureInfo.InvariantCulture, $"h{Environment.ProcessId}c{c}"));
                var (elapsed, latencies) = await ConcurrentRun.RunAsync(work.Count, c, deadline, i => PostAsync(work, i));
                Console.WriteLine(ConcurrentRun.Describe($"concurrency {c,4}", latencies.Length, elapsed, latencies));
                Console.WriteLine($"  HTTP statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} ×{s.Value}"))}");
            }

            return 0;
        });
        return command;
    }

    private static Dictionary<string, long> Snapshot(ReportCounters counters)
    {
        var all = counters.Reports.ToDictionary(r => r.Key.Outcome, r => r.Value);
        foreach (var change in counters.StateChanges)
        {
            all["→ " + change.Key.ToToken()] = change.Value;
        }

        return all;
    }

    private static string Changes(Dictionary<string, long> before, Dictionary<string, long> after) =>
        string.Join(", ", after.Select(a => (a.Key, Count: a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Count != 0).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Count}"));
}
