using Microsoft.Extensions.Logging;
using Vouch.Checks;
using Vouch.Dns.Caching;
using Vouch.Server.Milter;

namespace Vouch.Server;

/// <summary>
/// Everything one configuration of <c>vouch serve</c> runs on: the checker, its resolver and cache, the
/// responder, and the DNS lists' periodic self-tests. A reload builds a new generation and retires the old
/// one whole: its self-tests stop at once, and it is closed when the last request it took has been answered.
/// </summary>
public sealed class ServiceGeneration : IAsyncDisposable
{
    private readonly ResolverSetup resolver;
    private readonly CancellationTokenSource selfTestsStop = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task selfTests;
    private readonly Task refreshes;
    private int inFlight;
    private int retired;
    private int disposed;

    /// <summary>Makes a generation of <paramref name="checker"/> and starts its lists' periodic self-tests.</summary>
    /// <param name="checker">The checks and the decision table.</param>
    /// <param name="resolver">The checker's resolver; the generation owns it and closes it.</param>
    /// <param name="responder">Answers policy requests with <paramref name="checker"/>.</param>
    /// <param name="milter">Decides the milter's messages with <paramref name="checker"/>.</param>
    public ServiceGeneration(SenderChecker checker, ResolverSetup resolver, PolicyResponder responder, MilterResponder milter)
    {
        Checker = checker ?? throw new ArgumentNullException(nameof(checker));
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        Responder = responder ?? throw new ArgumentNullException(nameof(responder));
        Milter = milter ?? throw new ArgumentNullException(nameof(milter));
        selfTests = RunSelfTestsAsync(checker, selfTestsStop.Token);
        refreshes = resolver.Reputation?.RunRefreshesAsync(selfTestsStop.Token) ?? Task.CompletedTask;
    }

    /// <summary>The checks and the decision table of this configuration.</summary>
    public SenderChecker Checker { get; }

    /// <summary>Answers policy requests with <see cref="Checker"/>.</summary>
    public PolicyResponder Responder { get; }

    /// <summary>Decides the milter's messages with <see cref="Checker"/>.</summary>
    public MilterResponder Milter { get; }

    /// <summary>The counters of this generation's network cache, or null when zone files answer everything.</summary>
    public DnsCacheStatistics? CacheStatistics => resolver.Cache?.Statistics;

    /// <summary>Reputation (store, map, ingest) when it is on; null otherwise.</summary>
    public ReputationSetup? Reputation => resolver.Reputation;

    /// <summary>Builds a generation from <paramref name="sources"/>, read afresh.</summary>
    /// <exception cref="SetupException">The configuration, a zone file, a DNS server or the Public Suffix List is unusable.</exception>
    /// <param name="sources">Where the configuration comes from.</param>
    /// <param name="log">The service's log.</param>
    /// <param name="loggerFactory">The library's loggers.</param>
    /// <param name="metrics">Counters shared across reloads.</param>
    /// <param name="decisionLog">The decision log file's writer, used when the configuration names a <c>decision_log</c>.</param>
    /// <param name="cancellationToken">Cancels the setup.</param>
    public static async Task<ServiceGeneration> CreateAsync(ServiceSources sources, TextWriter log, ILoggerFactory? loggerFactory, PolicyMetrics? metrics, TextWriter? decisionLog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(sources);
        var (checker, resolver) = await CheckerFactory.CreateAsync(sources, collectTrace: false, log, loggerFactory, cancellationToken, sources.FrontEnd, metrics?.Reputation).ConfigureAwait(false);
        var decisions = checker.Configuration.Server.DecisionLog is null ? null : decisionLog;
        var tickets = resolver.Reputation is { } reputation ? new TicketKeeper(reputation, checker.Configuration.Server.InstanceCacheSize, loggerFactory?.CreateLogger<TicketKeeper>()) : null;
        return new ServiceGeneration(checker, resolver, new PolicyResponder(checker, checker.Configuration.Server, log, metrics, decisionLog: decisions, tickets: tickets), new MilterResponder(checker, log, metrics, decisionLog: decisions, tickets: tickets));
    }

    /// <summary>
    /// Counts a request in; false when the generation is retired (ask the next one). Every true is paired
    /// with <see cref="Leave"/>.
    /// </summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref inFlight);
        if (Volatile.Read(ref retired) == 0)
        {
            return true;
        }

        Leave();
        return false;
    }

    /// <summary>Counts a request out; the last one out of a retired generation lets it close.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref inFlight) == 0 && Volatile.Read(ref retired) != 0)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>
    /// Takes no new requests, stops the self-tests, waits until the requests it took are answered (each is
    /// bounded by the check's deadline), then closes the resolver.
    /// </summary>
    public async Task RetireAsync()
    {
        Interlocked.Exchange(ref retired, 1);
        await selfTestsStop.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref inFlight) == 0)
        {
            drained.TrySetResult();
        }

        await drained.Task.ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the self-tests and closes the resolver now.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref retired, 1);
        await selfTestsStop.CancelAsync().ConfigureAwait(false);
        await selfTests.ConfigureAwait(false);
        await refreshes.ConfigureAwait(false);
        selfTestsStop.Dispose();
        await resolver.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task RunSelfTestsAsync(SenderChecker checker, CancellationToken cancellationToken)
    {
        // Yield first: the constructor never runs a self-test itself.
        await Task.Yield();
        try
        {
            await checker.DnsLists.RunSelfTestsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Retired or stopping.
        }
    }
}
