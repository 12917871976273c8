using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using BitFaster.Caching.Lru;
using Vouch.Dns.Wire;

namespace Vouch.Dns.Caching;

/// <summary>
/// A cache shared by every check of a process, in front of another resolver. Answers are kept for their
/// TTL (clamped to the configured minimum and maximum); empty answers for the negative TTL the resolver
/// reports (RFC 2308 §5); temporary failures only briefly. An answer is kept whole, as the resolver gave it (its
/// <see cref="DnsAnswer{T}.CanonicalName"/> included). The cache is bounded by entry count (LRU).
/// Concurrent questions for the same name and type share one query: the first asks, the others wait for
/// its answer. A caller's cancellation stops its own wait, never the shared query.
/// </summary>
public sealed class CachingResolver : IDnsResolver
{
    private readonly IDnsResolver inner;
    private readonly DnsCacheOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentLru<DnsQuestion, CacheEntry> cache;
    private readonly ConcurrentDictionary<DnsQuestion, Task<object>> inFlight = new();
    private long hits;
    private long misses;
    private long queries;
    private long joins;
    private long failures;

    /// <summary>Creates the cache.</summary>
    /// <param name="inner">The resolver asked on a miss.</param>
    /// <param name="options">Size and TTL bounds; null means the defaults.</param>
    /// <param name="timeProvider">The clock that expires entries; null means the system clock.</param>
    public CachingResolver(IDnsResolver inner, DnsCacheOptions? options = null, TimeProvider? timeProvider = null)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        this.options = options ?? new DnsCacheOptions();
        this.timeProvider = timeProvider ?? TimeProvider.System;
        cache = new ConcurrentLru<DnsQuestion, CacheEntry>(Math.Max(this.options.MaxEntries, 3));
    }

    /// <summary>The counters now, the network resolver's behind the cache included when there is one.</summary>
    public DnsCacheStatistics Statistics
    {
        get
        {
            var network = (inner as NetworkResolver)?.Statistics;
            return new(
                Interlocked.Read(ref hits), Interlocked.Read(ref misses), Interlocked.Read(ref queries),
                Interlocked.Read(ref joins), Interlocked.Read(ref failures), cache.Count,
                network?.Retransmissions ?? 0, network?.Unanswered ?? 0, network?.QueueWaits ?? 0);
        }
    }

    /// <summary>Forgets every answer (queries in flight go on).</summary>
    public void Clear() => cache.Clear();

    /// <inheritdoc />
    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        LookupAsync(new DnsQuestion(DnsName.Normalize(name), DnsRecordType.TXT), name, static (resolver, n, ct) => resolver.LookupTxtAsync(n, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        family == AddressFamily.InterNetworkV6
            ? LookupAsync(new DnsQuestion(DnsName.Normalize(name), DnsRecordType.AAAA), name, static (resolver, n, ct) => resolver.LookupAddressesAsync(n, AddressFamily.InterNetworkV6, ct), cancellationToken)
            : LookupAsync(new DnsQuestion(DnsName.Normalize(name), DnsRecordType.A), name, static (resolver, n, ct) => resolver.LookupAddressesAsync(n, AddressFamily.InterNetwork, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        LookupAsync(new DnsQuestion(DnsName.Normalize(name), DnsRecordType.MX), name, static (resolver, n, ct) => resolver.LookupMxAsync(n, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        LookupAsync(new DnsQuestion(DnsName.Normalize(name), DnsRecordType.APL), name, static (resolver, n, ct) => resolver.LookupAplAsync(n, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        LookupAsync(new DnsQuestion(DnsName.ReverseName(address), DnsRecordType.PTR), address, static (resolver, a, ct) => resolver.LookupPtrAsync(a, ct), cancellationToken);

    private ValueTask<DnsAnswer<T>> LookupAsync<T, TArgument>(
        DnsQuestion question, TArgument argument, Func<IDnsResolver, TArgument, CancellationToken, ValueTask<DnsAnswer<T>>> ask, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (cache.TryGet(question, out var entry) && entry.ExpiresAt > timeProvider.GetUtcNow())
        {
            Interlocked.Increment(ref hits);
            return ValueTask.FromResult((DnsAnswer<T>)entry.Answer);
        }

        Interlocked.Increment(ref misses);
        return new ValueTask<DnsAnswer<T>>(WaitForQueryAsync(question, argument, ask, cancellationToken));
    }

    private async Task<DnsAnswer<T>> WaitForQueryAsync<T, TArgument>(
        DnsQuestion question, TArgument argument, Func<IDnsResolver, TArgument, CancellationToken, ValueTask<DnsAnswer<T>>> ask, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = inFlight.GetOrAdd(question, started.Task);
        if (shared != started.Task)
        {
            Interlocked.Increment(ref joins);
        }
        else
        {
            _ = RunQueryAsync(question, argument, ask, started);
        }

        return (DnsAnswer<T>)await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunQueryAsync<T, TArgument>(
        DnsQuestion question, TArgument argument, Func<IDnsResolver, TArgument, CancellationToken, ValueTask<DnsAnswer<T>>> ask, TaskCompletionSource<object> completion)
    {
        // A query that finished between this caller's cache miss and its claim on the question has
        // already stored its answer: use it rather than ask again.
        if (cache.TryGet(question, out var entry) && entry.ExpiresAt > timeProvider.GetUtcNow())
        {
            Interlocked.Decrement(ref misses);
            Interlocked.Increment(ref hits);
            inFlight.TryRemove(question, out _);
            completion.SetResult(entry.Answer);
            return;
        }

        Interlocked.Increment(ref queries);
        DnsAnswer<T> answer;
        try
        {
            // No caller's token: the query is shared, and bounded by the resolver's own timeout.
            answer = await ask(inner, argument, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            answer = DnsAnswer<T>.Empty(DnsStatus.ServerFailure, TimeSpan.Zero, $"resolver error: {exception.Message}");
        }

        var keep = answer.Status.IsTemporaryFailure() ? options.FailureTtl : Clamp(answer.TimeToLive);
        if (answer.Status.IsTemporaryFailure())
        {
            Interlocked.Increment(ref failures);
        }

        if (keep > TimeSpan.Zero)
        {
            cache.AddOrUpdate(question, new CacheEntry(answer, timeProvider.GetUtcNow() + keep));
        }

        inFlight.TryRemove(question, out _);
        completion.SetResult(answer);
    }

    private TimeSpan Clamp(TimeSpan ttl) =>
        ttl < options.MinimumTtl ? options.MinimumTtl : ttl > options.MaximumTtl ? options.MaximumTtl : ttl;

    private sealed record CacheEntry(object Answer, DateTimeOffset ExpiresAt);
}
