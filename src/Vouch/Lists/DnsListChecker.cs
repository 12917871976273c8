using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vouch.Dns;

namespace Vouch.Lists;

/// <summary>
/// Queries DNSBLs (client addresses) and RHSBLs (domains), RFC 5782, and self-tests each list with its
/// §5 test points so that a broken list — or a resolver that rewrites answers — is suspended instead of
/// blocking or passing everyone. Thread-safe: checks read an immutable snapshot of the lists' states.
/// </summary>
public sealed class DnsListChecker
{
    private readonly IDnsResolver resolver;
    private readonly ListOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private IReadOnlyList<DnsListStatus> statuses;

    /// <summary>Creates the checker; no list is suspended before its first self-test.</summary>
    public DnsListChecker(IDnsResolver resolver, ListOptions options, ILogger<DnsListChecker>? logger = null, TimeProvider? timeProvider = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        statuses = options.DnsLists.Select(l => new DnsListStatus(l, false, "not tested yet", DateTimeOffset.MinValue)).ToArray();
    }

    /// <summary>Each list's state after its last self-test.</summary>
    public IReadOnlyList<DnsListStatus> Statuses => Volatile.Read(ref statuses);

    /// <summary>
    /// Asks every address list about <paramref name="client"/> and every domain list about each of
    /// <paramref name="domains"/>, all at once. Suspended lists are not asked.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<DnsListResult>> CheckAsync(IPAddress client, IReadOnlyList<string> domains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(domains);
        var current = Statuses;
        if (current.Count == 0)
        {
            return [];
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var queries = new List<Task<DnsListResult>>();
        foreach (var status in current)
        {
            var list = status.List;
            if (list.Kind == DnsListKind.Address)
            {
                // RFC 5782 §2.1, §2.4: reversed octets (IPv4) or nibbles (IPv6) under the list's zone.
                var subject = client.ToString();
                queries.Add(status.Suspended ? Suspended(list, subject) : QueryAsync(list, subject, $"{DnsName.ReversedLabels(client)}.{list.Zone}", cancellationToken));
                continue;
            }

            foreach (var domain in domains.Distinct(StringComparer.Ordinal))
            {
                var name = $"{DnsName.Normalize(domain)}.{list.Zone}";
                if (name.Length <= DnsName.MaxLength)
                {
                    queries.Add(status.Suspended ? Suspended(list, domain) : QueryAsync(list, domain, name, cancellationToken));
                }
            }
        }

        return await Task.WhenAll(queries).ConfigureAwait(false);
    }

    /// <summary>
    /// Self-tests every list (RFC 5782 §5): an address list must list 127.0.0.2 and not 127.0.0.1; a domain
    /// list must list "test" and not "invalid". A list that fails is suspended (logged as an error); one
    /// that passes again is resumed; one that cannot be tested now (DNS failure) keeps its state.
    /// </summary>
    public async Task<IReadOnlyList<DnsListStatus>> SelfTestAsync(CancellationToken cancellationToken)
    {
        var before = Statuses;
        var tested = await Task.WhenAll(before.Select(s => SelfTestAsync(s, cancellationToken))).ConfigureAwait(false);
        Volatile.Write(ref statuses, tested);
        return tested;
    }

    /// <summary>Self-tests now, then every <see cref="ListOptions.SelfTestInterval"/>, until cancelled.</summary>
    public async Task RunSelfTestsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await SelfTestAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(options.SelfTestInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DnsListStatus> SelfTestAsync(DnsListStatus status, CancellationToken cancellationToken)
    {
        var list = status.List;
        var (listedPoint, unlistedPoint) = list.Kind == DnsListKind.Address ? ("2.0.0.127", "1.0.0.127") : ("test", "invalid");
        var positive = await QueryAsync(list, listedPoint, $"{listedPoint}.{list.Zone}", cancellationToken).ConfigureAwait(false);
        var negative = await QueryAsync(list, unlistedPoint, $"{unlistedPoint}.{list.Zone}", cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        if (positive.Outcome == DnsListOutcome.TempFailure || negative.Outcome == DnsListOutcome.TempFailure)
        {
            DnsListLog.SelfTestFailed(logger, list.Name, list.Zone, "a test point could not be looked up");
            return status with { TestedAt = now };
        }

        string? failure = null;
        if (positive.Outcome != DnsListOutcome.Listed)
        {
            failure = $"test point {positive.QueryName} should be listed but was {Describe(positive)}";
        }
        else if (negative.Outcome != DnsListOutcome.NotListed)
        {
            failure = $"test point {negative.QueryName} should not be listed but was {Describe(negative)} (a resolver that answers every name?)";
        }

        if (failure is not null)
        {
            DnsListLog.Suspended(logger, list.Name, list.Zone, failure);
            return new DnsListStatus(list, true, failure, now);
        }

        if (status.Suspended)
        {
            DnsListLog.Resumed(logger, list.Name, list.Zone);
        }

        return new DnsListStatus(list, false, "self-test passed", now);
    }

    private static string Describe(DnsListResult result) =>
        result.Answers.Count == 0 ? result.Outcome.ToString().ToLowerInvariant() : $"{result.Outcome.ToString().ToLowerInvariant()} ({string.Join(", ", result.Answers)})";

    private static Task<DnsListResult> Suspended(DnsListDefinition list, string subject) =>
        Task.FromResult(new DnsListResult(list, subject, "", DnsListOutcome.Suspended, [], null));

    private async Task<DnsListResult> QueryAsync(DnsListDefinition list, string subject, string name, CancellationToken cancellationToken)
    {
        var answer = await resolver.LookupAddressesAsync(name, System.Net.Sockets.AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
        if (answer.Status.IsTemporaryFailure())
        {
            return new DnsListResult(list, subject, name, DnsListOutcome.TempFailure, [], null);
        }

        if (answer.Status != DnsStatus.Records)
        {
            return new DnsListResult(list, subject, name, DnsListOutcome.NotListed, [], null);
        }

        // RFC 5782 §2.1: an answer in the error range means the query was refused or failed: never "listed".
        if (answer.Records.Any(a => list.ErrorAnswers.Any(p => p.Contains(a))))
        {
            DnsListLog.ErrorAnswer(logger, list.Name, name, string.Join(", ", answer.Records));
            return new DnsListResult(list, subject, name, DnsListOutcome.Error, answer.Records, null);
        }

        if (!answer.Records.Any(a => list.ListedAnswers.Any(p => p.Contains(a))))
        {
            return new DnsListResult(list, subject, name, DnsListOutcome.NotListed, answer.Records, null);
        }

        var text = await resolver.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        return new DnsListResult(list, subject, name, DnsListOutcome.Listed, answer.Records, text.Status == DnsStatus.Records ? text.Records[0].Text : null);
    }
}
