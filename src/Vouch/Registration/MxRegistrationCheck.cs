using System.Net;
using System.Net.Sockets;
using Vouch.Smtp;
using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Registration;

/// <summary>
/// The MX-registration check: is the client one of the mail servers a domain it presents lists in its MX
/// records? Candidates, in order, each as itself and then as its organisational domain: the MAIL FROM
/// domain, the HELO name (when it is a domain), each forward-confirmed PTR name. For each: its MX records
/// (a Null MX, RFC 7505, cannot vouch), then the addresses of its MX hosts (at most
/// <see cref="RegistrationOptions.MaxMxHostsPerDomain"/>, lowest preference first). The first match wins.
/// Thread-safe.
/// </summary>
public sealed class MxRegistrationCheck
{
    private readonly IDnsResolver resolver;
    private readonly PublicSuffixList suffixes;
    private readonly RegistrationOptions options;

    /// <summary>Creates the check.</summary>
    /// <param name="resolver">Where DNS questions go.</param>
    /// <param name="suffixes">The Public Suffix List, for organisational domains.</param>
    /// <param name="options">Settings; null means the defaults.</param>
    public MxRegistrationCheck(IDnsResolver resolver, PublicSuffixList suffixes, RegistrationOptions? options = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.suffixes = suffixes ?? throw new ArgumentNullException(nameof(suffixes));
        this.options = options ?? new RegistrationOptions();
    }

    /// <summary>Checks whether <paramref name="client"/> is registered by a domain it presents.</summary>
    /// <param name="client">The client's address.</param>
    /// <param name="sender">The MAIL FROM address as read: its domain, when it is one, is the first candidate.</param>
    /// <param name="helo">The HELO name as read: a domain name is the next candidate.</param>
    /// <param name="fcrdns">Starts the FCrDNS check, or returns it running: its confirmed names are the last candidates, asked for only when no earlier one registers the client.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RegistrationResult> CheckAsync(IPAddress client, ReversePath sender, HeloName helo, Func<Task<FcrdnsResult>> fcrdns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(helo);
        ArgumentNullException.ThrowIfNull(fcrdns);
        var budget = new DnsQueryBudget(options.QueryBudget);
        var tried = new List<RegistrationCandidate>();
        var seen = new List<string>(4);
        var senderDomain = sender.DomainName;
        var senderHasNullMx = false;
        string? failure = null;
        var budgetSpent = false;

        async Task<RegistrationResult?> TryPresentedAsync(string? name, RegistrationRoute via)
        {
            if (name is null || !DnsName.IsValidMultiLabel(name))
            {
                return null;
            }

            var organizational = suffixes.GetOrganizationalDomain(name);
            for (var step = 0; step < 2; step++)
            {
                var (domain, isOrganizational) = step == 0 ? (name, false) : (organizational, true);
                if (!DnsName.IsValidMultiLabel(domain) || seen.Contains(domain, StringComparer.Ordinal))
                {
                    continue;
                }

                seen.Add(domain);

                var (candidate, match) = await TryDomainAsync(client, domain, via, isOrganizational, budget, cancellationToken).ConfigureAwait(false);
                tried.Add(candidate);
                senderHasNullMx |= candidate.Outcome == CandidateOutcome.NullMx && domain == senderDomain;
                failure ??= candidate.Outcome == CandidateOutcome.TempError ? $"{domain}: {candidate.Detail}" : null;
                budgetSpent |= candidate.Outcome == CandidateOutcome.NotTried;
                if (match is not null)
                {
                    return match with { Candidates = tried, SenderHasNullMx = senderHasNullMx, DnsQueries = budget.Spent };
                }
            }

            return null;
        }

        var registered = await TryPresentedAsync(senderDomain, RegistrationRoute.MailFrom).ConfigureAwait(false)
            ?? await TryPresentedAsync(helo.DomainName, RegistrationRoute.Helo).ConfigureAwait(false);
        if (registered is not null)
        {
            return registered;
        }

        var reverse = await fcrdns().ConfigureAwait(false);
        foreach (var name in reverse.ConfirmedNames)
        {
            registered = await TryPresentedAsync(name, RegistrationRoute.Ptr).ConfigureAwait(false);
            if (registered is not null)
            {
                return registered;
            }
        }

        // The PTR route could not be tried: unknown is not unregistered (DNS trouble must never reject).
        if (reverse.Code == FcrdnsResultCode.TempError)
        {
            failure ??= $"reverse DNS: {reverse.Problem}";
        }

        var problem = failure ?? (budgetSpent ? $"the query budget of {options.QueryBudget} was spent before every route was tried" : null);
        return new RegistrationResult(failure is null ? RegistrationResultCode.Unregistered : RegistrationResultCode.TempError,
            null, null, null, null, null, null, tried, senderHasNullMx, budget.Spent, problem);
    }

    private async Task<(RegistrationCandidate Candidate, RegistrationResult? Match)> TryDomainAsync(
        IPAddress client, string domain, RegistrationRoute via, bool isOrganizational, DnsQueryBudget budget, CancellationToken cancellationToken)
    {
        if (!budget.TryTake())
        {
            return (new RegistrationCandidate(domain, via, isOrganizational, CandidateOutcome.NotTried, "not tried: query budget spent"), null);
        }

        var mx = await resolver.LookupMxAsync(domain, cancellationToken).ConfigureAwait(false);
        if (mx.Status.IsTemporaryFailure())
        {
            return (new RegistrationCandidate(domain, via, isOrganizational, CandidateOutcome.TempError, $"MX lookup failed: {mx.Problem ?? mx.Status.ToToken()}"), null);
        }

        if (mx.Status != DnsStatus.Records)
        {
            if (!options.ImplicitMx || mx.Status != DnsStatus.NoData)
            {
                return (new RegistrationCandidate(domain, via, isOrganizational, CandidateOutcome.NoMx, NoMxDetail(mx.Status)), null);
            }

            // RFC 5321 §5.1: without MX records, the domain itself is its mail host.
            return await TryHostsAsync(client, domain, via, isOrganizational, [new MxRecord(0, domain)], implicitMx: true, budget, cancellationToken).ConfigureAwait(false);
        }

        if (IsNullMx(mx))
        {
            return (new RegistrationCandidate(domain, via, isOrganizational, CandidateOutcome.NullMx, "Null MX (RFC 7505): this domain sends no mail"), null);
        }

        return await TryHostsAsync(client, domain, via, isOrganizational, ByPreference(mx.Records), implicitMx: false, budget, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the MAIL FROM domain publishes a Null MX, as <see cref="CheckAsync"/> would find it for its first
    /// candidate (<see cref="RegistrationResult.SenderHasNullMx"/>), with one MX question: false for a bounce, a
    /// sender domain that is not a multi-label name, a DNS failure, or a zero query budget.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<bool> SenderHasNullMxAsync(ReversePath sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (sender.DomainName is not { } domain || !DnsName.IsValidMultiLabel(domain) || options.QueryBudget < 1)
        {
            return false;
        }

        return IsNullMx(await resolver.LookupMxAsync(domain, cancellationToken).ConfigureAwait(false));
    }

    // RFC 7505 §3: a Null MX is the only MX record, with the root as its exchange.
    private static bool IsNullMx(DnsAnswer<MxRecord> mx) => mx.Status == DnsStatus.Records && mx.Records.Count == 1 && mx.Records[0].Exchange.Length == 0;

    /// <summary>The MX records with a host (not the root), lowest preference first; equal preferences keep their order.</summary>
    private static MxRecord[] ByPreference(IReadOnlyList<MxRecord> records)
    {
        var count = 0;
        for (var i = 0; i < records.Count; i++)
        {
            count += records[i].Exchange.Length > 0 ? 1 : 0;
        }

        var hosts = new MxRecord[count];
        var filled = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Exchange.Length == 0)
            {
                continue;
            }

            // Insertion sort: stable, and MX sets are small.
            var record = records[i];
            var at = filled++;
            while (at > 0 && hosts[at - 1].Preference > record.Preference)
            {
                hosts[at] = hosts[at - 1];
                at--;
            }

            hosts[at] = record;
        }

        return hosts;
    }

    private async Task<(RegistrationCandidate Candidate, RegistrationResult? Match)> TryHostsAsync(
        IPAddress client, string domain, RegistrationRoute via, bool isOrganizational, MxRecord[] hosts, bool implicitMx, DnsQueryBudget budget, CancellationToken cancellationToken)
    {
        var highestPreference = 0;
        foreach (var host in hosts)
        {
            highestPreference = Math.Max(highestPreference, host.Preference);
        }

        // Started together, read in order; ValueTasks (Preserve: an answer already there stays as it is), so that a cache hit costs no Task.
        var lookups = new ValueTask<DnsAnswer<IPAddress>>[Math.Min(hosts.Length, options.MaxMxHostsPerDomain)];
        var asked = 0;
        while (asked < lookups.Length && budget.TryTake())
        {
            lookups[asked] = resolver.LookupAddressesAsync(hosts[asked].Exchange, client.AddressFamily, cancellationToken).Preserve();
            asked++;
        }

        var answers = new DnsAnswer<IPAddress>[asked];
        string? failure = null;
        for (var i = 0; i < asked; i++)
        {
            var host = hosts[i];
            var addresses = answers[i] = await lookups[i].ConfigureAwait(false);
            if (addresses.Status.IsTemporaryFailure())
            {
                failure ??= $"address lookup for {host.Exchange} failed: {addresses.Problem ?? addresses.Status.ToToken()}";
                continue;
            }

            foreach (var address in addresses.Records)
            {
                if (Matches(client, address))
                {
                    var owner = suffixes.GetOrganizationalDomain(domain);
                    var candidate = new RegistrationCandidate(domain, via, isOrganizational, new MxHostsSeen(implicitMx, hosts, answers, i + 1, client, CandidateOutcome.Registered, null));
                    return (candidate, new RegistrationResult(RegistrationResultCode.Registered, domain, owner, via, host.Exchange, host.Preference,
                        host.Preference == highestPreference, [], false, 0, null));
                }
            }
        }

        var ending = asked < lookups.Length ? CandidateOutcome.NotTried : failure is not null ? CandidateOutcome.TempError : CandidateOutcome.NotListed;
        return (new RegistrationCandidate(domain, via, isOrganizational, new MxHostsSeen(implicitMx, hosts, answers, asked, client, ending, failure)), null);
    }

    private static string NoMxDetail(DnsStatus status) => status switch
    {
        DnsStatus.NoData => "no MX records (nodata)",
        DnsStatus.NoSuchDomain => "no MX records (nxdomain)",
        _ => $"no MX records ({status.ToToken()})",
    };

    private bool Matches(IPAddress client, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.Equals(client))
        {
            return true;
        }

        var prefix = client.AddressFamily == AddressFamily.InterNetwork ? options.MatchPrefixLengthIPv4 : options.MatchPrefixLengthIPv6;
        return prefix is { } length && new AddressPrefix(client, length).Contains(address);
    }
}
