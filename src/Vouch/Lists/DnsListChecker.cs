using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Text;

namespace Vouch.Lists;

/// <summary>
/// Asks DNS block lists (RFC 5782) about a client: DNSBLs about its address, RHSBLs about its domains.
/// Each list is self-tested with the RFC 5782 §5 test points; a list that fails (one that answers every name,
/// as behind a resolver that rewrites NXDOMAIN, or that never lists its positive test point) is suspended —
/// not queried — until it passes again, so a broken list can neither block all mail nor silently block none.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="CheckAsync"/> may run from many requests at once while a self-test runs. Suspension
/// state is an immutable snapshot replaced atomically; a check reads it once, without locks. Warnings about odd
/// answers (error codes, answers outside the configured ranges) are logged at most once per list per
/// <see cref="ListOptions.SelfTestInterval"/>, so a refusing list cannot flood the log.
/// </remarks>
public sealed class DnsListChecker
{
    private const int MaxTextLength = 512;

    // Task.Delay with a TimeProvider accepts at most uint.MaxValue - 1 milliseconds (about 49.7 days).
    private const double MaxIntervalMilliseconds = uint.MaxValue - 1.0;

    private readonly IDnsResolver resolver;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly DnsListDefinition[] lists;
    private readonly string[] zones;
    private readonly TimeSpan selfTestInterval;
    private readonly long[] refusedWarnedAt;
    private readonly long[] unexpectedWarnedAt;

    // Never mutated once published: replaced whole by Publish, read with Volatile.Read.
    private DnsListStatus[] statuses;

    /// <summary>Copies the DNS lists of <paramref name="options"/>; later changes to the options are not seen.</summary>
    /// <param name="resolver">Where queries go. A list's answers are only as good as the resolver: it must not rewrite NXDOMAIN, and large lists refuse queries from public resolvers.</param>
    /// <param name="options">The lists (<see cref="ListOptions.DnsLists"/>) and the self-test interval.</param>
    /// <param name="logger">Where suspensions, resumptions and odd answers are logged; null logs nothing.</param>
    /// <param name="timeProvider">The clock for self-test times and intervals; null means <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A list is null or its zone is not a valid domain name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ListOptions.SelfTestInterval"/> is not positive or exceeds 49 days.</exception>
    public DnsListChecker(IDnsResolver resolver, ListOptions options, ILogger<DnsListChecker>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SelfTestInterval <= TimeSpan.Zero || options.SelfTestInterval.TotalMilliseconds > MaxIntervalMilliseconds)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SelfTestInterval, "The DNS list self-test interval must be positive and at most 49 days.");
        }

        this.resolver = resolver;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        selfTestInterval = options.SelfTestInterval;
        lists = [.. options.DnsLists];
        zones = new string[lists.Length];
        statuses = new DnsListStatus[lists.Length];
        for (var i = 0; i < lists.Length; i++)
        {
            var list = lists[i] ?? throw new ArgumentException("A DNS list definition is null.", nameof(options));
            var zone = DnsName.Normalize((list.Zone ?? string.Empty).Trim());
            if (!DnsName.IsValidMultiLabel(zone))
            {
                throw new ArgumentException($"DNS list '{list.Name}' has an invalid zone '{list.Zone}'.", nameof(options));
            }

            zones[i] = zone;
            statuses[i] = new DnsListStatus(list, false, "not tested yet", DateTimeOffset.MinValue);
        }

        refusedWarnedAt = new long[lists.Length];
        unexpectedWarnedAt = new long[lists.Length];
        Array.Fill(refusedWarnedAt, long.MinValue);
        Array.Fill(unexpectedWarnedAt, long.MinValue);
    }

    /// <summary>Whether some list is an RHSBL, so that <see cref="CheckAsync"/> reads the domains it is given.</summary>
    public bool ReadsDomains => Array.Exists(lists, list => list.Kind == DnsListKind.Domain);

    /// <summary>Each list's state after its last self-test, in the order of <see cref="ListOptions.DnsLists"/>. Before the first test no list is suspended.</summary>
    public IReadOnlyList<DnsListStatus> Statuses => ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref statuses));

    /// <summary>
    /// Asks every address list about <paramref name="client"/> and every domain list about each distinct name in
    /// <paramref name="domains"/>, all queries at once. Suspended lists are not queried and report <see cref="DnsListOutcome.Suspended"/>.
    /// </summary>
    /// <param name="client">The client address; an IPv4-mapped IPv6 address is looked up as IPv4.</param>
    /// <param name="domains">The names to look up in domain lists (owner, MAIL FROM domain, HELO name, confirmed PTR names). Compared without case or trailing dot; empty names, address literals and names too long to query under a list's zone are skipped.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>One result per query (or suspended list and subject), lists in configured order, domains in the order given. Empty when no lists are configured.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="domains"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<DnsListResult>> CheckAsync(IPAddress client, IReadOnlyList<string> domains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(domains);
        cancellationToken.ThrowIfCancellationRequested();
        if (lists.Length == 0)
        {
            return [];
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        string? addressText = null;
        string? reversed = null;
        List<string>? subjects = null;

        // One read: the whole check sees one consistent set of suspensions.
        var snapshot = Volatile.Read(ref statuses);
        var pending = new List<Task<DnsListResult>>();
        for (var i = 0; i < lists.Length; i++)
        {
            var suspended = snapshot[i].Suspended;
            if (lists[i].Kind == DnsListKind.Address)
            {
                addressText ??= address.ToString();

                // RFC 5782 §2.1: IPv4 octets reversed; §2.4: IPv6 as 32 reversed nibbles.
                reversed ??= DnsName.ReversedLabels(address);
                pending.Add(Query(i, addressText, reversed + "." + zones[i], suspended, cancellationToken));
            }
            else
            {
                subjects ??= DistinctDomains(domains);
                foreach (var subject in subjects)
                {
                    // RFC 5782 §3: the domain name itself, prepended to the list's zone.
                    var queryName = subject + "." + zones[i];
                    if (DnsName.IsValidMultiLabel(queryName))
                    {
                        pending.Add(Query(i, subject, queryName, suspended, cancellationToken));
                    }
                }
            }
        }

        return await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>
    /// Self-tests every list at once with the RFC 5782 §5 test points: an address list must list 127.0.0.2 and must
    /// answer NXDOMAIN (or NODATA) for 127.0.0.1; a domain list must list "test" and must not answer for "invalid".
    /// A list that fails is suspended (logged at Error level with what it answered); one that passes is resumed
    /// (logged at Information level if it was suspended). A server failure or timeout leaves the list as it was
    /// and logs a warning.
    /// </summary>
    /// <param name="cancellationToken">Cancels the test; lists whose test had not finished keep their state.</param>
    /// <returns>Every list's state after the test, as <see cref="Statuses"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<DnsListStatus>> SelfTestAsync(CancellationToken cancellationToken)
    {
        var tests = new Task[lists.Length];
        for (var i = 0; i < lists.Length; i++)
        {
            tests[i] = SelfTestListAsync(i, cancellationToken);
        }

        await Task.WhenAll(tests).ConfigureAwait(false);
        return Statuses;
    }

    /// <summary>
    /// Self-tests every list now, then again every <see cref="ListOptions.SelfTestInterval"/> (default 15 minutes) by
    /// the <see cref="TimeProvider"/>, until cancelled. An unexpected failure of one round is logged and does not
    /// stop the next.
    /// </summary>
    /// <param name="cancellationToken">Stops the tests.</param>
    /// <returns>A task that runs until <paramref name="cancellationToken"/> is cancelled, then ends as cancelled.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task RunSelfTestsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await SelfTestAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A resolver bug must not end the tests for good and freeze every list in its current state.
                DnsListLog.SelfTestCrashed(logger, exception);
            }

            await Task.Delay(selfTestInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<string> DistinctDomains(IReadOnlyList<string> domains)
    {
        var subjects = new List<string>(domains.Count);
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];

            // An address literal ("[192.0.2.1]" as HELO) names no domain a list could hold.
            if (string.IsNullOrEmpty(domain) || domain[0] == '[')
            {
                continue;
            }

            var name = DnsName.Normalize(domain);
            if (name.Length > 0 && !subjects.Contains(name))
            {
                subjects.Add(name);
            }
        }

        return subjects;
    }

    private static DnsListOutcome Classify(DnsListDefinition list, DnsAnswer<IPAddress> answer)
    {
        switch (answer.Status)
        {
            case DnsStatus.Records:
                break;
            case DnsStatus.NoData or DnsStatus.NoSuchDomain:
                return DnsListOutcome.NotListed; // RFC 5782 §2.1: no A record, not listed
            default:
                return DnsListOutcome.TempFailure;
        }

        // Error answers first: the usual error range 127.255.255.0/24 lies inside the listed range 127.0.0.0/8.
        if (AnyIn(answer.Records, list.ErrorAnswers))
        {
            return DnsListOutcome.Error;
        }

        return AnyIn(answer.Records, list.ListedAnswers) ? DnsListOutcome.Listed : DnsListOutcome.NotListed;
    }

    private static bool AnyIn(IReadOnlyList<IPAddress> addresses, IReadOnlyList<AddressPrefix> prefixes)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            for (var j = 0; j < prefixes.Count; j++)
            {
                if (prefixes[j].Contains(addresses[i]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string Describe(DnsListDefinition list, DnsAnswer<IPAddress> answer)
    {
        if (answer.Status != DnsStatus.Records)
        {
            return answer.Problem is null ? answer.Status.ToToken() : $"{answer.Status.ToToken()} ({answer.Problem})";
        }

        var addresses = string.Join(", ", answer.Records);
        return Classify(list, answer) switch
        {
            DnsListOutcome.Error => addresses + " (an error code: the list refuses or failed the query)",
            DnsListOutcome.NotListed => addresses + " (outside the listed answers)",
            _ => addresses,
        };
    }

    private Task<DnsListResult> Query(int index, string subject, string queryName, bool suspended, CancellationToken cancellationToken) =>
        suspended
            ? Task.FromResult(new DnsListResult(lists[index], subject, queryName, DnsListOutcome.Suspended, [], null))
            : QueryAsync(index, subject, queryName, cancellationToken);

    private async Task<DnsListResult> QueryAsync(int index, string subject, string queryName, CancellationToken cancellationToken)
    {
        var list = lists[index];

        // RFC 5782 §2.1: the list answers with A records whatever the client's address family.
        var answer = await resolver.LookupAddressesAsync(queryName, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
        var outcome = Classify(list, answer);
        string? text = null;
        if (outcome == DnsListOutcome.Listed)
        {
            text = await ReadReasonAsync(queryName, cancellationToken).ConfigureAwait(false);
        }
        else if (outcome == DnsListOutcome.Error && ShouldWarn(refusedWarnedAt, index))
        {
            DnsListLog.QueryRefused(logger, list.Name, string.Join(", ", answer.Records), queryName);
        }
        else if (outcome == DnsListOutcome.NotListed && answer.Status == DnsStatus.Records && ShouldWarn(unexpectedWarnedAt, index))
        {
            DnsListLog.UnexpectedAnswer(logger, list.Name, string.Join(", ", answer.Records), queryName);
        }

        return new DnsListResult(list, subject, queryName, outcome, answer.Records, text);
    }

    private async Task<string?> ReadReasonAsync(string queryName, CancellationToken cancellationToken)
    {
        // RFC 5782 §2.1: a TXT record at the same name may say why; best effort, its absence changes nothing.
        var answer = await resolver.LookupTxtAsync(queryName, cancellationToken).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Records)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var record in answer.Records)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(record.Text);
        }

        // The reason may reach an SMTP reply or a header: no control characters (CR, LF) and a bounded length.
        return UntrustedText.WithoutControls(text.ToString(), MaxTextLength);
    }

    private bool ShouldWarn(long[] warnedAt, int index)
    {
        var now = timeProvider.GetUtcNow().UtcTicks;
        var last = Volatile.Read(ref warnedAt[index]);
        if (last != long.MinValue && now - last < selfTestInterval.Ticks)
        {
            return false;
        }

        // Of concurrent checks that see the same stale time, only the one that moves it on logs.
        return Interlocked.CompareExchange(ref warnedAt[index], now, last) == last;
    }

    private async Task SelfTestListAsync(int index, CancellationToken cancellationToken)
    {
        var list = lists[index];
        var zone = zones[index];

        // RFC 5782 §5: an IPv4 list lists 127.0.0.2 and never 127.0.0.1; a domain list lists "test" and never "invalid".
        var (positiveName, negativeName) = list.Kind == DnsListKind.Address
            ? ("2.0.0.127." + zone, "1.0.0.127." + zone)
            : ("test." + zone, "invalid." + zone);
        var positiveQuery = resolver.LookupAddressesAsync(positiveName, AddressFamily.InterNetwork, cancellationToken).AsTask();
        var negativeQuery = resolver.LookupAddressesAsync(negativeName, AddressFamily.InterNetwork, cancellationToken).AsTask();
        await Task.WhenAll(positiveQuery, negativeQuery).ConfigureAwait(false);
        var positive = await positiveQuery.ConfigureAwait(false);
        var negative = await negativeQuery.ConfigureAwait(false);

        bool? suspend;
        string detail;
        if (positive.Status.IsTemporaryFailure() || negative.Status.IsTemporaryFailure())
        {
            suspend = null;
            detail = $"{positiveName} answered {Describe(list, positive)}, {negativeName} answered {Describe(list, negative)}";
        }
        else
        {
            var problems = new List<string>(2);
            if (Classify(list, positive) != DnsListOutcome.Listed)
            {
                problems.Add($"{positiveName} answered {Describe(list, positive)} but must be listed");
            }

            if (negative.Status == DnsStatus.Records)
            {
                problems.Add($"{negativeName} answered {Describe(list, negative)} but must not exist (the list, or a resolver rewriting NXDOMAIN, answers every name)");
            }

            suspend = problems.Count > 0;
            detail = suspend.Value
                ? string.Join("; ", problems)
                : $"{positiveName} listed ({Describe(list, positive)}), {negativeName} {Describe(list, negative)}";
        }

        var (previous, current) = Publish(index, suspend, detail, timeProvider.GetUtcNow());
        if (suspend is null)
        {
            DnsListLog.SelfTestInconclusive(logger, list.Name, zone, current.Suspended ? "suspended" : "in use", detail);
        }
        else if (suspend.Value)
        {
            DnsListLog.SelfTestFailed(logger, list.Name, zone, detail);
        }
        else if (previous.Suspended)
        {
            DnsListLog.Resumed(logger, list.Name, zone, detail);
        }
    }

    private (DnsListStatus Previous, DnsListStatus Current) Publish(int index, bool? suspend, string detail, DateTimeOffset testedAt)
    {
        while (true)
        {
            var snapshot = Volatile.Read(ref statuses);
            var previous = snapshot[index];
            var current = new DnsListStatus(previous.List, suspend ?? previous.Suspended, detail, testedAt);
            var next = (DnsListStatus[])snapshot.Clone();
            next[index] = current;
            if (ReferenceEquals(Interlocked.CompareExchange(ref statuses, next, snapshot), snapshot))
            {
                return (previous, current);
            }
        }
    }
}
