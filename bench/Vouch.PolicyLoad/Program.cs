using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace Vouch.PolicyLoad;

/// <summary>
/// A load generator for a Postfix policy service such as <c>vouch serve</c>: opens connections and sends
/// Postfix policy requests built from a workload file as fast as the server answers, then reports requests
/// per second and latency percentiles, per window and for the cold and warm passes. A benchmark, not a test:
/// it fails only when the server breaks the protocol, closes a connection or stops answering.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var server = new Option<string>("--server") { Description = "The policy service: HOST:PORT, or unix:/path/to/socket.", Required = true, HelpName = "HOST:PORT" };
        var workload = new Option<string>("--workload") { Description = "JSON Lines {\"ip\",\"sender\",\"helo\"}, e.g. ../shared/bench-corpus/workload.jsonl.", Required = true, HelpName = "FILE" };
        var connections = new Option<int>("--connections") { Description = "Connections at once, one request in flight each.", DefaultValueFactory = _ => 4, HelpName = "C" };
        var requests = new Option<int>("--requests") { Description = "Requests in all; the workload repeats as often as needed.", DefaultValueFactory = _ => 1_000_000, HelpName = "N" };
        var window = new Option<int?>("--window") { Description = "Requests per progress line; default one workload pass (so the first line is the cold pass).", HelpName = "W" };
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id: adds its CPU use and memory (VmRSS, VmHWM from /proc) to each line and to the summary.", HelpName = "PID" };
        var instancePrefix = new Option<string>("--instance-prefix") { Description = "Starts each request's unique 'instance' attribute; default one per run, so runs against the same server do not hit its answer cache.", HelpName = "TEXT" };
        var messages = new Option<bool>("--messages") { Description = "Send each request as a whole message, as Postfix does with a policy service in smtpd_data_restrictions and smtpd_end_of_data_restrictions too: RCPT, then DATA and END-OF-MESSAGE (one recipient, a queue id) on the same connection; rates and latencies are then per message (three round trips)." };
        var stall = new Option<int>("--stall-seconds") { Description = "Fail when no answer arrives for this long.", DefaultValueFactory = _ => 30, HelpName = "S" };
        var root = new RootCommand("Sends Postfix policy delegation requests (protocol_state=RCPT) to a policy service as fast as it answers, and reports throughput and latency.")
        {
            server, workload, connections, requests, window, serverPid, instancePrefix, stall, messages,
        };
        root.SetAction(async (result, cancellationToken) =>
        {
            var count = result.GetValue(requests);
            var connectionCount = result.GetValue(connections);
            if (count is < 1 or > 50_000_000 || connectionCount is < 1 or > 10_000 || result.GetValue(stall) < 1 || result.GetValue(window) is < 1)
            {
                await Console.Error.WriteLineAsync("policy-load: --requests must be 1–50,000,000, --connections 1–10,000, --window and --stall-seconds positive");
                return 2;
            }

            Workload lines;
            EndPoint endpoint;
            try
            {
                var prefix = result.GetValue(instancePrefix) ?? $"load-{Environment.ProcessId}-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
                lines = await Workload.LoadAsync(result.GetValue(workload)!, prefix, cancellationToken);
                endpoint = await ResolveAsync(result.GetValue(server)!, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException or SocketException or FormatException)
            {
                await Console.Error.WriteLineAsync($"policy-load: {exception.Message}");
                return 2;
            }

            var options = new LoadOptions(count, connectionCount, result.GetValue(window) ?? lines.Count, result.GetValue(stall), result.GetValue(messages));
            var process = result.GetValue(serverPid) is { } pid ? new WatchedProcess(pid) : null;
            return await RunAsync(options, lines, endpoint, result.GetValue(server)!, process, cancellationToken);
        });
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration(), CancellationToken.None);
    }

    private static async Task<int> RunAsync(LoadOptions options, Workload workload, EndPoint endpoint, string target, WatchedProcess? server, CancellationToken cancellationToken)
    {
        var run = new LoadRun(options, workload, server, Console.Out);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < options.Connections; i++)
            {
                var socket = endpoint is UnixDomainSocketEndPoint
                    ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                    : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                sockets.Add(socket);
                await socket.ConnectAsync(endpoint, cancellationToken);
            }
        }
        catch (SocketException exception)
        {
            sockets.ForEach(socket => socket.Dispose());
            await Console.Error.WriteLineAsync($"policy-load: cannot connect to {target}: {exception.Message}");
            return 1;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        run.Start(target);
        var connections = sockets.Select(socket => Task.Run(async () =>
        {
            try
            {
                await new PolicyClientConnection(socket, run).RunAsync(stopping.Token);
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
        var problem = stalled ? $"no answer for {options.StallSeconds} s" : failure is OperationCanceledException ? "interrupted" : failure?.Message;
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"policy-load: stopped early: {problem}");
            return 1;
        }

        return 0;
    }

    /// <summary>Cancels <paramref name="stopping"/> when the run makes no progress for <paramref name="stallSeconds"/>; true when it did.</summary>
    private static async Task<bool> WatchAsync(LoadRun run, int stallSeconds, CancellationTokenSource stopping)
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
