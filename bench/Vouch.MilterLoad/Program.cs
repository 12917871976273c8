using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Vouch.PolicyLoad;

namespace Vouch.MilterLoad;

/// <summary>
/// A load generator for a milter such as <c>vouch milter</c>: runs C connections at once, each replaying
/// what Postfix's smtpd sends a milter for one SMTP session with one message (a new connection per session),
/// built from a workload file, as fast as the server answers; reports transactions per second and latency
/// percentiles, per window and for the cold and warm passes. A benchmark, not a test: it fails only when the
/// server breaks the protocol, closes a connection early or stops answering.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var server = new Option<string>("--server") { Description = "The milter: HOST:PORT, inet:HOST:PORT, or unix:/path/to/socket.", Required = true, HelpName = "HOST:PORT" };
        var workload = new Option<string>("--workload") { Description = "JSON Lines {\"ip\",\"sender\",\"helo\"}, e.g. ../shared/bench-corpus/workload.jsonl.", Required = true, HelpName = "FILE" };
        var connections = new Option<int>("--connections") { Description = "Connections at once, one transaction each at a time.", DefaultValueFactory = _ => 4, HelpName = "C" };
        var transactions = new Option<int>("--transactions") { Description = "Transactions in all; the workload repeats as often as needed.", DefaultValueFactory = _ => 100_000, HelpName = "N" };
        var window = new Option<int?>("--window") { Description = "Transactions per progress line; default one workload pass (so the first line is the cold pass).", HelpName = "W" };
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id: adds its CPU use and memory (VmRSS, VmHWM from /proc) to each line and to the summary.", HelpName = "PID" };
        var authservId = new Option<string>("--authserv-id") { Description = "The server's authserv-id: each message carries a forged Authentication-Results with it, which the server should delete.", DefaultValueFactory = _ => "mx.bench.example", HelpName = "NAME" };
        var batch = new Option<bool>("--batch") { Description = "Send the packets up to each awaited reply in one write, instead of one write per packet as Postfix does." };
        var stall = new Option<int>("--stall-seconds") { Description = "Fail when no transaction completes for this long.", DefaultValueFactory = _ => 30, HelpName = "S" };
        var root = new RootCommand("Replays Postfix's milter conversation for one SMTP session per connection (protocol 6) against a milter as fast as it answers, and reports throughput and latency.")
        {
            server, workload, connections, transactions, window, serverPid, authservId, batch, stall,
        };
        root.SetAction(async (result, cancellationToken) =>
        {
            var count = result.GetValue(transactions);
            var connectionCount = result.GetValue(connections);
            if (count is < 1 or > 50_000_000 || connectionCount is < 1 or > 10_000 || result.GetValue(stall) < 1 || result.GetValue(window) is < 1)
            {
                await Console.Error.WriteLineAsync("milter-load: --transactions must be 1–50,000,000, --connections 1–10,000, --window and --stall-seconds positive");
                return 2;
            }

            MilterWorkload lines;
            EndPoint endpoint;
            try
            {
                lines = await MilterWorkload.LoadAsync(result.GetValue(workload)!, cancellationToken);
                endpoint = await ResolveAsync(result.GetValue(server)!, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException or SocketException or FormatException)
            {
                await Console.Error.WriteLineAsync($"milter-load: {exception.Message}");
                return 2;
            }

            var options = new MilterLoadOptions(count, connectionCount, result.GetValue(window) ?? lines.Count, result.GetValue(stall), !result.GetValue(batch), result.GetValue(authservId)!);
            var process = result.GetValue(serverPid) is { } pid ? new WatchedProcess(pid) : null;
            return await RunAsync(options, lines, endpoint, result.GetValue(server)!, process, cancellationToken);
        });
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration(), CancellationToken.None);
    }

    private static async Task<int> RunAsync(MilterLoadOptions options, MilterWorkload workload, EndPoint endpoint, string target, WatchedProcess? server, CancellationToken cancellationToken)
    {
        var run = new MilterLoadRun(options, workload, server, Console.Out);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        run.Start(target);
        var connections = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
        {
            try
            {
                await new MilterSessionClient(endpoint, run).RunAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                // The first failure stops the run; the others are its consequence.
                if (Interlocked.CompareExchange(ref failure, exception, null) is null)
                {
                    await stopping.CancelAsync();
                }
            }
        }, CancellationToken.None)).ToList();
        var watchdog = WatchAsync(run, options.StallSeconds, stopping);
        await Task.WhenAll(connections);
        await stopping.CancelAsync();
        var stalled = await watchdog;
        run.WriteSummary();
        var problem = stalled ? $"no transaction completed for {options.StallSeconds} s" : failure is OperationCanceledException ? "interrupted" : failure?.Message;
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"milter-load: stopped early: {problem}");
            return 1;
        }

        return 0;
    }

    /// <summary>Cancels <paramref name="stopping"/> when the run makes no progress for <paramref name="stallSeconds"/>; true when it did.</summary>
    private static async Task<bool> WatchAsync(MilterLoadRun run, int stallSeconds, CancellationTokenSource stopping)
    {
        var last = run.Answered;
        var quietSeconds = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                var now = run.Answered;
                quietSeconds = now == last ? quietSeconds + 1 : 0;
                last = now;
                if (quietSeconds >= stallSeconds)
                {
                    await stopping.CancelAsync();
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }

        return false;
    }

    private static async Task<EndPoint> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            return new UnixDomainSocketEndPoint(text[5..]);
        }

        if (text.StartsWith("inet:", StringComparison.Ordinal))
        {
            text = text[5..];
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"--server: '{text}' is not HOST:PORT");
        }

        var host = text[..colon].Trim('[', ']');
        var address = IPAddress.TryParse(host, out var literal) ? literal : (await Dns.GetHostAddressesAsync(host, cancellationToken))[0];
        return new IPEndPoint(address, port);
    }
}
