using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Vouch.Server.Milter;

namespace Vouch.Server;

/// <summary>
/// <c>vouch serve</c> and <c>vouch milter</c>: a front end with its configuration generations. It owns the log (one bounded
/// background writer, for decision lines and every library message), the metrics that outlive reloads, and
/// the live <see cref="ServiceGeneration"/>. SIGHUP builds a new generation from the same sources and swaps
/// it in whole (a bad file keeps the running one); SIGTERM stops accepting, lets open requests finish, and
/// closes everything.
/// </summary>
public sealed class PolicyServiceHost : IPolicyAnswerer, IMilterJudge, IAsyncDisposable
{
    private readonly ServiceSources sources;
    private readonly BackgroundLineWriter destination;
    private readonly LoggerLineWriter log;
    private readonly ILoggerFactory loggerFactory;
    private readonly DecisionLogFile decisionFile;
    private readonly BackgroundLineWriter decisionLog;
    private readonly SemaphoreSlim reloading = new(1, 1);
    private readonly Lock gate = new();
    private readonly List<Task> retiring = [];
    private ServiceGeneration current = null!;
    private bool disposed;

    private PolicyServiceHost(ServiceSources sources, TextWriter logDestination)
    {
        this.sources = sources;
        // One logging path: every line (decisions, connections, reloads, the library's messages) is a
        // Microsoft.Extensions.Logging event, written by the line formatter through the bounded background writer.
        destination = new BackgroundLineWriter(logDestination);
        loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new LineLoggerProvider(destination)));
        log = new LoggerLineWriter(loggerFactory.CreateLogger("Vouch.Server"));
        decisionFile = new DecisionLogFile(problem => log.WriteLine(problem));
        decisionLog = new BackgroundLineWriter(decisionFile);
        Metrics = new PolicyMetrics(() => Current.CacheStatistics, () => Current.Reputation?.Map);
    }

    /// <summary>The counters behind <c>/metrics</c>, kept across reloads; the cache counters are the live generation's.</summary>
    public PolicyMetrics Metrics { get; }

    /// <summary>The generation answering new requests.</summary>
    public ServiceGeneration Current => Volatile.Read(ref current);

    /// <summary>Builds the first generation from <paramref name="sources"/>; log lines go to <paramref name="logDestination"/> through a queue.</summary>
    /// <exception cref="SetupException">The configuration, a zone file, a DNS server or the Public Suffix List is unusable.</exception>
    public static async Task<PolicyServiceHost> StartAsync(ServiceSources sources, TextWriter logDestination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(logDestination);
        var host = new PolicyServiceHost(sources, logDestination);
        try
        {
            host.current = await ServiceGeneration.CreateAsync(sources, host.log, host.loggerFactory, host.Metrics, host.decisionLog, cancellationToken).ConfigureAwait(false);
            host.ConfigureDecisionLog(host.current);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Answers with the live generation, counted in it so that a reload closes it only once it is done.</summary>
    public Task<string> AnswerAsync(PolicyRequest request, CancellationToken cancellationToken) =>
        InLiveGenerationAsync(static (generation, request, token) => generation.Responder.AnswerAsync(request, token), request, cancellationToken);

    /// <summary>Decides a milter message with the live generation, counted in it like a policy request.</summary>
    public Task<MilterVerdict> JudgeAsync(MilterTransaction transaction, CancellationToken cancellationToken) =>
        InLiveGenerationAsync(static (generation, transaction, token) => generation.Milter.JudgeAsync(transaction, token), transaction, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on the live generation, counted in it (no closure: the state is passed through).</summary>
    private async Task<TResult> InLiveGenerationAsync<TState, TResult>(Func<ServiceGeneration, TState, CancellationToken, Task<TResult>> work, TState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var generation = Current;
            if (!generation.TryEnter())
            {
                continue; // Retired between the read and the count: the next one is already live.
            }

            try
            {
                return await work(generation, state, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                generation.Leave();
            }
        }
    }

    /// <summary>
    /// Reads the sources again and, when they are usable, makes the new generation live and retires the old
    /// one. False (and a log line) when they are not: the running configuration stays.
    /// </summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        await reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ServiceGeneration next;
            try
            {
                next = await ServiceGeneration.CreateAsync(sources, log, loggerFactory, Metrics, decisionLog, cancellationToken).ConfigureAwait(false);
            }
            catch (SetupException exception)
            {
                await log.WriteLineAsync($"vouch: reload refused, keeping the running configuration: {exception.Message}").ConfigureAwait(false);
                return false;
            }

            var swapped = false;
            lock (gate)
            {
                if (!disposed)
                {
                    var superseded = Interlocked.Exchange(ref current, next);
                    retiring.RemoveAll(task => task.IsCompleted);
                    retiring.Add(superseded.RetireAsync());
                    ConfigureDecisionLog(next);
                    swapped = true;
                }
            }

            if (!swapped)
            {
                await next.DisposeAsync().ConfigureAwait(false); // Stopped while loading.
                return false;
            }

            await log.WriteLineAsync("vouch: configuration reloaded (a new listen address needs a restart)").ConfigureAwait(false);
            return true;
        }
        finally
        {
            reloading.Release();
        }
    }

    /// <summary>Listens on <paramref name="endpoint"/> (TCP, or a UNIX socket that replaces a stale one) until SIGTERM or <paramref name="cancellationToken"/>.</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="listening">Called with the bound endpoint; null logs it.</param>
    /// <param name="cancellationToken">Stops the service.</param>
    public Task ListenAsync(EndPoint endpoint, Action<EndPoint>? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint is UnixDomainSocketEndPoint && File.Exists(endpoint.ToString()))
        {
            File.Delete(endpoint.ToString()!);
        }

        return RunAsync(stopping => PolicyServer().ListenAsync(endpoint, listening ?? (bound => log.WriteLine($"vouch: listening on {bound}")), stopping), cancellationToken);
    }

    /// <summary>
    /// Runs the milter on <paramref name="endpoint"/> (TCP, or a UNIX socket that replaces a stale one) until SIGTERM
    /// or <paramref name="cancellationToken"/>; each new MTA connection takes the live configuration's <c>[milter]</c> settings.
    /// </summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="listening">Called with the bound endpoint; null logs it.</param>
    /// <param name="cancellationToken">Stops the service.</param>
    public Task ListenMilterAsync(EndPoint endpoint, Action<EndPoint>? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint is UnixDomainSocketEndPoint && File.Exists(endpoint.ToString()))
        {
            File.Delete(endpoint.ToString()!);
        }

        var milter = new MilterServer(this, () => (Current.Milter.Options, Current.Milter.AuthservId), log, Metrics);
        var socketMode = Current.Checker.Configuration.Milter.SocketMode;
        return RunAsync(stopping => milter.ListenAsync(endpoint, socketMode, listening ?? (bound => log.WriteLine($"vouch: milter listening on {bound}")), stopping), cancellationToken);
    }

    /// <summary>Serves one connection on <paramref name="input"/> and <paramref name="output"/> (Postfix's spawn: stdin and stdout).</summary>
    public Task ServeConnectionAsync(Stream input, Stream output, CancellationToken cancellationToken) =>
        RunAsync(stopping => PolicyServer().ServeConnectionAsync(input, output, "stdio", stopping), cancellationToken);

    /// <summary>Closes every generation, those still answering included, and writes out the log.</summary>
    public async ValueTask DisposeAsync()
    {
        ServiceGeneration? last;
        Task[] pending;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            last = current;
            pending = [.. retiring];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        if (last is not null)
        {
            await last.DisposeAsync().ConfigureAwait(false);
        }

        await decisionLog.CompleteAsync().ConfigureAwait(false);
        await decisionLog.DisposeAsync().ConfigureAwait(false);
        await decisionFile.DisposeAsync().ConfigureAwait(false);
        loggerFactory.Dispose();
        await log.DisposeAsync().ConfigureAwait(false);
        await destination.CompleteAsync().ConfigureAwait(false);
        await destination.DisposeAsync().ConfigureAwait(false);
        reloading.Dispose();
    }

    private void ConfigureDecisionLog(ServiceGeneration generation)
    {
        var server = generation.Checker.Configuration.Server;
        decisionFile.Configure(server.DecisionLog, server.DecisionLogRotateMegabytes * 1024L * 1024L, server.DecisionLogKeep);
    }

    // Connection settings are the first configuration's: a reload keeps the sockets.
    private PolicyServer PolicyServer() => new(this, Current.Checker.Configuration.Server, log, Metrics);

    private async Task RunAsync(Func<CancellationToken, Task> serve, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            _ = Task.Run(() => ReloadQuietlyAsync(stopping.Token), CancellationToken.None);
        });

        // Listen addresses (policy and metrics) are the first configuration's: a reload keeps the sockets.
        var options = Current.Checker.Configuration.Server;
        var metricsEndpoint = options.MetricsListen is { } metricsAt
            ? new MetricsEndpoint(Metrics).ListenAsync(metricsAt, bound => log.WriteLine($"vouch: metrics on http://{bound}/metrics"), stopping.Token)
            : Task.CompletedTask;
        var reputation = Current.Checker.Configuration.Reputation;
        var reportEndpoint = reputation.Enabled && reputation.ReportListen is { } reportAt
            ? new ReportEndpoint(() => Current.Reputation?.Ingest, reputation.ReportToken).ListenAsync(reportAt, url => log.WriteLine($"vouch: reports on {url}"), stopping.Token)
            : Task.CompletedTask;
        try
        {
            // The report endpoint binds before its first await, so one that cannot listen (the port is taken) has
            // failed already: refuse to start, rather than serve for days with reports going nowhere (or to whoever
            // holds the port, bearer token and all) and say so only at SIGTERM.
            if (reportEndpoint.IsFaulted)
            {
                await reportEndpoint.ConfigureAwait(false);
            }

            await serve(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await metricsEndpoint.ConfigureAwait(false);
            await reportEndpoint.ConfigureAwait(false);
        }
    }

    private async Task ReloadQuietlyAsync(CancellationToken stopping)
    {
        try
        {
            await ReloadAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or OperationCanceledException)
        {
            // The service stopped while the reload was under way.
        }
    }
}
