using System.Net;
using System.Net.Sockets;
using Vouch.Dns;
using Vouch.Network;

namespace Vouch.Spf;

/// <summary>
/// One check in progress: the root request of RFC 7208 §4, holding the counters that cover the whole
/// include/redirect tree (§4.6.4) and the trace. Used once, by one caller.
/// </summary>
internal sealed class SpfEvaluation
{
    private readonly SpfChecker checker;
    private readonly SpfOptions options;
    private readonly IDnsResolver resolver;
    private readonly SpfIdentity identity;
    private readonly IPAddress client;
    private readonly AddressFamily clientFamily;
    private readonly string sender;
    private readonly string localPart;
    private readonly string senderDomain;
    private readonly string helo;
    private readonly CancellationToken cancellationToken;
    private readonly List<SpfTraceEvent>? trace;
    private int dnsLookups;
    private int voidLookups;
    private string? authorizingTerm;
    private string? authorizingDomain;
    private ValidatedNames? validatedNames;

    public SpfEvaluation(SpfChecker checker, SpfIdentity identity, IPAddress client, string localPart, string domain, string helo, CancellationToken cancellationToken)
    {
        this.checker = checker;
        options = checker.Options;
        resolver = checker.Resolver;
        this.identity = identity;
        this.client = client;
        clientFamily = client.AddressFamily;
        this.helo = helo;
        this.cancellationToken = cancellationToken;
        trace = options.CollectTrace ? [] : null;

        // RFC 7208 §4.3: a sender without a local-part is "postmaster@domain".
        this.localPart = localPart.Length == 0 ? "postmaster" : localPart;
        senderDomain = DnsName.Normalize(domain);
        sender = this.localPart + "@" + senderDomain;
    }

    /// <summary>Runs the check. <paramref name="callerToken"/> is the caller's own token: its cancellation throws, while the deadline's gives temperror.</summary>
    public async Task<SpfResult> RunAsync(CancellationToken callerToken)
    {
        HostOutcome outcome;
        try
        {
            outcome = await CheckHostAsync(senderDomain, 0).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            // RFC 7208 §4.6.4: a check that takes too long ends as temperror, not as a guess.
            outcome = HostOutcome.Error(SpfResultCode.TempError, $"the check did not finish within its deadline of {options.Deadline.TotalSeconds:0.###} s");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug must not turn into an accept: temperror asks the client to come back later.
            outcome = HostOutcome.Error(SpfResultCode.TempError, $"internal error: {exception.GetType().Name}: {exception.Message}");
        }

        return new SpfResult(outcome.Code, identity, senderDomain, sender, outcome.Mechanism, outcome.Explanation, outcome.ExplanationIsDefault,
            dnsLookups, voidLookups, outcome.Problem, (IReadOnlyList<SpfTraceEvent>?)trace ?? [])
        {
            AuthorizingTerm = outcome.Code == SpfResultCode.Pass ? authorizingTerm : null,
            AuthorizingDomain = outcome.Code == SpfResultCode.Pass ? authorizingDomain : null,
        };
    }

    /// <summary>check_host() (RFC 7208 §4) for one domain of the tree.</summary>
    private async ValueTask<HostOutcome> CheckHostAsync(string domain, int depth)
    {
        var outcome = await CheckHostCoreAsync(domain, depth).ConfigureAwait(false);
        trace?.Add(new SpfResultEvent(depth, domain, outcome.Code, outcome.Problem ?? outcome.Mechanism));
        return outcome;
    }

    private async ValueTask<HostOutcome> CheckHostCoreAsync(string domain, int depth)
    {
        // RFC 7208 §4.3: a malformed or single-label domain gives none, without a query.
        if (!IsCheckableDomain(domain))
        {
            return HostOutcome.Error(SpfResultCode.None, $"'{domain}' is not a valid multi-label domain name");
        }

        var answer = await LookupTxtAsync(domain, depth).ConfigureAwait(false);
        if (answer.Status.IsTemporaryFailure())
        {
            // RFC 7208 §4.4: a failed TXT lookup is temperror.
            return HostOutcome.Error(SpfResultCode.TempError, $"TXT lookup for {domain} failed: {answer.Problem ?? answer.Status.ToToken()}");
        }

        if (answer.Status != DnsStatus.Records)
        {
            return HostOutcome.Error(SpfResultCode.None, $"{domain} has no TXT records ({answer.Status.ToToken()})");
        }

        string? recordText = null;
        var found = 0;
        foreach (var txt in answer.Records)
        {
            // RFC 7208 §3.3: the strings of one TXT record are joined without spaces; §4.5: select by version.
            var text = txt.Text;
            if (SpfRecord.HasSpfVersion(text))
            {
                found++;
                recordText = text;
            }
        }

        if (found == 0)
        {
            return HostOutcome.Error(SpfResultCode.None, $"{domain} publishes no SPF record");
        }

        if (found > 1)
        {
            // RFC 7208 §4.5: more than one record is permerror, even if they are identical.
            return HostOutcome.Error(SpfResultCode.PermError, $"{domain} publishes {found} SPF records, expected one");
        }

        trace?.Add(new SpfRecordEvent(depth, domain, recordText!));
        var parsed = checker.Parse(recordText!);
        if (parsed.Record is null)
        {
            return HostOutcome.Error(SpfResultCode.PermError, $"syntax error in the SPF record of {domain}: {parsed.Error}");
        }

        return await EvaluateRecordAsync(parsed.Record, domain, depth).ConfigureAwait(false);
    }

    /// <summary>RFC 7208 §4.6: directives left to right, first match wins; then redirect; then neutral.</summary>
    private async ValueTask<HostOutcome> EvaluateRecordAsync(SpfRecord record, string domain, int depth)
    {
        foreach (var directive in record.Directives)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The trace is in pre-order: a term comes before the queries and nested checks it caused.
            var termIndex = trace?.Count ?? 0;
            TermMatch match;
            if (directive.Mechanism.CountsTowardLookupLimit && ++dnsLookups > options.MaxDnsLookups)
            {
                // RFC 7208 §4.6.4: the 11th DNS-querying term is permerror.
                match = TermMatch.PermError($"more than {options.MaxDnsLookups} DNS-querying terms");
            }
            else
            {
                match = await MatchAsync(directive.Mechanism, domain, depth).ConfigureAwait(false);
            }

            trace?.Insert(termIndex, new SpfTermEvent(depth, directive.Text, match.Outcome, match.Note));
            switch (match.Outcome)
            {
                case SpfTermOutcome.Match:
                    var code = directive.Qualifier.ToResultCode();
                    if (code == SpfResultCode.Pass && directive.Mechanism is not IncludeMechanism)
                    {
                        // The innermost term that authorised the client: the last one recorded before a pass at the top decides it.
                        authorizingTerm = directive.Text;
                        authorizingDomain = domain;
                    }

                    if (code != SpfResultCode.Fail)
                    {
                        return new HostOutcome(code, directive.Text, null, false, null);
                    }

                    var (explanation, isDefault) = await ExplainAsync(record, domain, depth).ConfigureAwait(false);
                    return new HostOutcome(code, directive.Text, explanation, isDefault, null);
                case SpfTermOutcome.TempError:
                    return new HostOutcome(SpfResultCode.TempError, directive.Text, null, false, $"{directive.Text}: {match.Note}");
                case SpfTermOutcome.PermError:
                    return new HostOutcome(SpfResultCode.PermError, directive.Text, null, false, $"{directive.Text}: {match.Note}");
            }
        }

        // RFC 7208 §6.1: redirect applies only when no mechanism matched and there is no "all".
        if (record.Redirect is { } redirect && !record.HasAll)
        {
            if (++dnsLookups > options.MaxDnsLookups)
            {
                var note = $"more than {options.MaxDnsLookups} DNS-querying terms";
                trace?.Add(new SpfTermEvent(depth, redirect.Text, SpfTermOutcome.PermError, note));
                return new HostOutcome(SpfResultCode.PermError, redirect.Text, null, false, $"{redirect.Text}: {note}");
            }

            var target = await ExpandDomainAsync(redirect.Value, domain).ConfigureAwait(false);
            trace?.Add(new SpfTermEvent(depth, redirect.Text, SpfTermOutcome.Applied, $"target {target}"));
            var inner = await CheckHostAsync(target, depth + 1).ConfigureAwait(false);
            if (inner.Code == SpfResultCode.None)
            {
                // RFC 7208 §6.1: a redirect to a domain without a record is permerror.
                return new HostOutcome(SpfResultCode.PermError, redirect.Text, null, false, $"redirect target {target} has no SPF record ({inner.Problem})");
            }

            return inner;
        }

        return new HostOutcome(SpfResultCode.Neutral, null, null, false, null);
    }

    private ValueTask<TermMatch> MatchAsync(SpfMechanism mechanism, string domain, int depth) => mechanism switch
    {
        AllMechanism => ValueTask.FromResult(TermMatch.Match(null)),
        Ip4Mechanism ip4 => ValueTask.FromResult(MatchNetwork(ip4.Network)),
        Ip6Mechanism ip6 => ValueTask.FromResult(MatchNetwork(ip6.Network)),
        AMechanism a => MatchAAsync(a, domain, depth),
        MxMechanism mx => MatchMxAsync(mx, domain, depth),
        IncludeMechanism include => MatchIncludeAsync(include, domain, depth),
        ExistsMechanism exists => MatchExistsAsync(exists, domain, depth),
        PtrMechanism ptr => MatchPtrAsync(ptr, domain, depth),
        _ => ValueTask.FromResult(TermMatch.PermError($"mechanism {mechanism.Name} is not supported")),
    };

    private TermMatch MatchNetwork(AddressPrefix network) =>
        network.Contains(client) ? TermMatch.Match(trace is null ? null : $"{client} is in {network}") : TermMatch.NoMatch(null);

    /// <summary>RFC 7208 §5.3.</summary>
    private async ValueTask<TermMatch> MatchAAsync(AMechanism a, string domain, int depth)
    {
        var target = a.Domain is null ? domain : await ExpandDomainAsync(a.Domain, domain).ConfigureAwait(false);
        var answer = await LookupAddressesAsync(target, clientFamily, depth).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Records)
        {
            return NoAddressOutcome(answer, target);
        }

        var network = PrefixFor(a.Ip4PrefixLength, a.Ip6PrefixLength);
        foreach (var address in answer.Records)
        {
            if (InNetwork(address, network))
            {
                return TermMatch.Match(trace is null ? null : $"{target} has {address}");
            }
        }

        return TermMatch.NoMatch(trace is null ? null : $"{client} is not among the {answer.Records.Count} address(es) of {target}");
    }

    /// <summary>RFC 7208 §5.4.</summary>
    private async ValueTask<TermMatch> MatchMxAsync(MxMechanism mx, string domain, int depth)
    {
        var target = mx.Domain is null ? domain : await ExpandDomainAsync(mx.Domain, domain).ConfigureAwait(false);
        var answer = await LookupMxAsync(target, depth).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Records)
        {
            return NoAddressOutcome(answer, target);
        }

        if (answer.Records.Count > options.MaxMxHosts)
        {
            // RFC 7208 §4.6.4: an mx mechanism may look up at most 10 hosts.
            return TermMatch.PermError($"{target} has {answer.Records.Count} MX records, more than the limit of {options.MaxMxHosts}");
        }

        if (options.CountMxAddressLookups)
        {
            dnsLookups += answer.Records.Count(r => r.Exchange.Length > 0);
            if (dnsLookups > options.MaxDnsLookups)
            {
                return TermMatch.PermError($"more than {options.MaxDnsLookups} DNS queries, counting the address lookups of {target}'s MX hosts (a strict reading of RFC 7208 §4.6.4)");
            }
        }

        // RFC 7208 §4.6.4 limits the "terms" whose queries come back empty: a host without addresses of the
        // client's family is no void lookup of its own (pyspf and Mail::SPF count each one; see
        // docs/performance.md, agreement). The hosts' address lookups are independent: start them all,
        // then read (and trace) the answers in order.
        // ValueTasks (Preserve: an answer already there stays as it is), so that a cache hit costs no Task.
        var pending = new ValueTask<DnsAnswer<IPAddress>>[answer.Records.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            var exchange = answer.Records[i].Exchange;
            pending[i] = exchange.Length == 0
                ? new ValueTask<DnsAnswer<IPAddress>>(DnsAnswer<IPAddress>.Empty(DnsStatus.NoData, TimeSpan.Zero, "Null MX (RFC 7505), not queried"))
                : QueryAddressesAsync(exchange, clientFamily).Preserve();
        }

        var network = PrefixFor(mx.Ip4PrefixLength, mx.Ip6PrefixLength);
        string? failure = null;
        string? matched = null;
        for (var i = 0; i < pending.Length; i++)
        {
            var hostAnswer = await pending[i].ConfigureAwait(false);
            if (answer.Records[i].Exchange.Length > 0)
            {
                TraceAddresses(depth, answer.Records[i].Exchange, clientFamily, hostAnswer);
            }

            if (matched is not null)
            {
                continue;
            }

            if (hostAnswer.Status.IsTemporaryFailure())
            {
                failure ??= $"address lookup for MX host {answer.Records[i].Exchange} failed: {hostAnswer.Problem ?? hostAnswer.Status.ToToken()}";
                continue;
            }

            foreach (var address in hostAnswer.Records)
            {
                if (InNetwork(address, network))
                {
                    matched = trace is null ? "" : $"MX host {answer.Records[i].Exchange} has {address}";
                    break;
                }
            }
        }

        return matched is not null ? TermMatch.Match(trace is null ? null : matched)
            : failure is not null ? TermMatch.TempError(failure)
            : TermMatch.NoMatch(trace is null ? null : $"{client} is not an address of the {answer.Records.Count} MX host(s) of {target}");
    }

    /// <summary>RFC 7208 §5.2: pass matches; fail, softfail and neutral do not; errors propagate; none is permerror.</summary>
    private async ValueTask<TermMatch> MatchIncludeAsync(IncludeMechanism include, string domain, int depth)
    {
        var target = await ExpandDomainAsync(include.Domain, domain).ConfigureAwait(false);
        var inner = await CheckHostAsync(target, depth + 1).ConfigureAwait(false);
        return inner.Code switch
        {
            SpfResultCode.Pass => TermMatch.Match(trace is null ? null : $"{target} gives pass"),
            SpfResultCode.Fail or SpfResultCode.SoftFail or SpfResultCode.Neutral => TermMatch.NoMatch(trace is null ? null : $"{target} gives {inner.Code.ToToken()}"),
            SpfResultCode.TempError => TermMatch.TempError($"{target} gives temperror: {inner.Problem}"),
            SpfResultCode.None => TermMatch.PermError($"included domain {target} has no SPF record ({inner.Problem})"),
            _ => TermMatch.PermError($"{target} gives permerror: {inner.Problem}"),
        };
    }

    /// <summary>RFC 7208 §5.7: an A query, whatever the client's address family.</summary>
    private async ValueTask<TermMatch> MatchExistsAsync(ExistsMechanism exists, string domain, int depth)
    {
        var target = await ExpandDomainAsync(exists.Domain, domain).ConfigureAwait(false);
        var answer = await LookupAddressesAsync(target, AddressFamily.InterNetwork, depth).ConfigureAwait(false);
        return answer.Status == DnsStatus.Records ? TermMatch.Match(trace is null ? null : $"{target} exists") : NoAddressOutcome(answer, target);
    }

    /// <summary>RFC 7208 §5.5: a validated reverse name equal to the target or below it.</summary>
    private async ValueTask<TermMatch> MatchPtrAsync(PtrMechanism ptr, string domain, int depth)
    {
        var target = DnsName.Normalize(ptr.Domain is null ? domain : await ExpandDomainAsync(ptr.Domain, domain).ConfigureAwait(false));
        var names = await GetValidatedNamesAsync(depth).ConfigureAwait(false);
        if (names.PtrStatus.IsVoid() && ++voidLookups > options.MaxVoidLookups)
        {
            return TermMatch.PermError($"more than {options.MaxVoidLookups} void lookups");
        }

        foreach (var name in names.Names)
        {
            if (DnsName.IsSubdomainOrSelf(name, target))
            {
                return TermMatch.Match(trace is null ? null : $"validated name {name} is in {target}");
            }
        }

        // RFC 7208 §5.5: a DNS error during the PTR lookup means no match, not temperror.
        return TermMatch.NoMatch(trace is null ? null : names.Names.Count == 0 ? $"no validated reverse name for {client}" : $"no validated reverse name in {target}");
    }

    /// <summary>An address or MX lookup without records: temperror, a void lookup (§4.6.4), or no match.</summary>
    private TermMatch NoAddressOutcome<T>(DnsAnswer<T> answer, string target)
    {
        if (answer.Status.IsTemporaryFailure())
        {
            return TermMatch.TempError($"lookup for {target} failed: {answer.Problem ?? answer.Status.ToToken()}");
        }

        if (++voidLookups > options.MaxVoidLookups)
        {
            return TermMatch.PermError($"more than {options.MaxVoidLookups} void lookups ({target}: {answer.Status.ToToken()})");
        }

        return TermMatch.NoMatch(trace is null ? null : $"{target}: {answer.Status.ToToken()}");
    }

    private AddressPrefix PrefixFor(int ip4PrefixLength, int ip6PrefixLength) =>
        new(client, clientFamily == AddressFamily.InterNetwork ? ip4PrefixLength : ip6PrefixLength);

    private static bool InNetwork(IPAddress address, AddressPrefix clientNetwork) =>
        clientNetwork.Contains(address.IsIPv4MappedToIPv6 && clientNetwork.Family == AddressFamily.InterNetwork ? address.MapToIPv4() : address);

    /// <summary>
    /// The client's PTR names (at most 10, §4.6.4) whose addresses include the client (§5.5); computed once
    /// per check and shared by "ptr" and %{p}.
    /// </summary>
    private async ValueTask<ValidatedNames> GetValidatedNamesAsync(int depth)
    {
        if (validatedNames is not null)
        {
            return validatedNames;
        }

        var answer = await LookupPtrAsync(depth).ConfigureAwait(false);
        var names = new List<string>();
        if (answer.Status == DnsStatus.Records)
        {
            var count = Math.Min(answer.Records.Count, options.MaxPtrNames);
            var pending = new ValueTask<DnsAnswer<IPAddress>>[count];
            for (var i = 0; i < count; i++)
            {
                pending[i] = QueryAddressesAsync(answer.Records[i], clientFamily).Preserve();
            }

            for (var i = 0; i < count; i++)
            {
                var addresses = await pending[i].ConfigureAwait(false);
                TraceAddresses(depth, answer.Records[i], clientFamily, addresses);
                if (addresses.Records.Any(client.Equals))
                {
                    names.Add(DnsName.Normalize(answer.Records[i]));
                }
            }
        }

        return validatedNames = new ValidatedNames(answer.Status, names);
    }

    /// <summary>Expands a domain-spec and applies RFC 7208 §7.3's truncation to 253 characters.</summary>
    private async ValueTask<string> ExpandDomainAsync(MacroString spec, string domain)
    {
        if (!spec.HasMacros)
        {
            return TruncateDomain(spec.Expand(MacroContextFor(domain, null)));
        }

        string? validatedName = null;
        if (spec.UsesValidatedName)
        {
            validatedName = await ChooseValidatedNameAsync(domain).ConfigureAwait(false);
        }

        return TruncateDomain(spec.Expand(MacroContextFor(domain, validatedName)));
    }

    /// <summary>RFC 7208 §7.3: drop leading labels until the name fits in 253 characters; drop a trailing dot.</summary>
    private static string TruncateDomain(string name)
    {
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        while (name.Length > DnsName.MaxLength)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                break;
            }

            name = name[(dot + 1)..];
        }

        return name;
    }

    /// <summary>%{p} (RFC 7208 §7.3): a validated name equal to the domain, else one below it, else any, else "unknown".</summary>
    private async ValueTask<string> ChooseValidatedNameAsync(string domain)
    {
        var names = (await GetValidatedNamesAsync(0).ConfigureAwait(false)).Names;
        var normalized = DnsName.Normalize(domain);
        return names.FirstOrDefault(n => n == normalized)
            ?? names.FirstOrDefault(n => DnsName.IsSubdomainOrSelf(n, normalized))
            ?? (names.Count > 0 ? names[0] : "unknown");
    }

    private MacroContext MacroContextFor(string domain, string? validatedName) =>
        new(sender, localPart, senderDomain, domain, client, helo, validatedName, options.ReceivingHost, checker.TimeProvider.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>
    /// RFC 7208 §6.2: the explanation for a fail. Any trouble with exp= (DNS error, not exactly one record,
    /// a syntax error) falls back to the default explanation.
    /// </summary>
    private async ValueTask<(string Text, bool IsDefault)> ExplainAsync(SpfRecord record, string domain, int depth)
    {
        if (record.Explanation is { } exp)
        {
            var termIndex = trace?.Count ?? 0;
            var target = await ExpandDomainAsync(exp.Value, domain).ConfigureAwait(false);
            var answer = await LookupTxtAsync(target, depth).ConfigureAwait(false);
            if (answer.Status == DnsStatus.Records && answer.Records.Count == 1 &&
                MacroString.TryParse(answer.Records[0].Text, 1, isExplanation: true, out var text, out var error))
            {
                var validatedName = text!.UsesValidatedName ? await ChooseValidatedNameAsync(domain).ConfigureAwait(false) : null;
                var explanation = text.Expand(MacroContextFor(domain, validatedName));
                trace?.Insert(termIndex, new SpfTermEvent(depth, exp.Text, SpfTermOutcome.Applied, explanation));
                return (explanation, false);
            }

            trace?.Insert(termIndex, new SpfTermEvent(depth, exp.Text, SpfTermOutcome.NoMatch, "no usable explanation there (RFC 7208 §6.2); the default is used"));
        }

        return (await DefaultExplanationAsync(domain).ConfigureAwait(false), true);
    }

    private async ValueTask<string> DefaultExplanationAsync(string domain)
    {
        if (!MacroString.TryParse(options.DefaultExplanation, 1, isExplanation: true, out var text, out _))
        {
            return options.DefaultExplanation;
        }

        var validatedName = text!.UsesValidatedName ? await ChooseValidatedNameAsync(domain).ConfigureAwait(false) : null;
        return text.Expand(MacroContextFor(domain, validatedName));
    }

    /// <summary>RFC 7208 §4.3: the domain must be a well-formed, multi-label name ending in a real top label.</summary>
    private static bool IsCheckableDomain(string domain)
    {
        if (!DnsName.IsValidMultiLabel(domain))
        {
            return false;
        }

        foreach (var c in domain)
        {
            if (c is <= ' ' or > '~' or '[' or ']' or '@')
            {
                return false;
            }
        }

        var top = domain.AsSpan(domain.LastIndexOf('.') + 1);
        foreach (var c in top)
        {
            if (!char.IsAsciiDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsQueryableName(string name) => DnsName.IsQueryable(name);

    private async ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, int depth)
    {
        var answer = IsQueryableName(name)
            ? await WithDeadline(resolver.LookupTxtAsync(name, cancellationToken)).ConfigureAwait(false)
            : DnsAnswer<TxtRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.Zero, "malformed name, not queried");
        Trace(depth, name, DnsRecordType.TXT, answer, static r => r.Text);
        return answer;
    }

    private async ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, int depth)
    {
        var answer = await QueryAddressesAsync(name, family).ConfigureAwait(false);
        TraceAddresses(depth, name, family, answer);
        return answer;
    }

    /// <summary>Asks without tracing, so that lookups running together can be traced in order afterwards.</summary>
    private ValueTask<DnsAnswer<IPAddress>> QueryAddressesAsync(string name, AddressFamily family) =>
        IsQueryableName(name)
            ? WithDeadline(resolver.LookupAddressesAsync(name, family, cancellationToken))
            : ValueTask.FromResult(DnsAnswer<IPAddress>.Empty(DnsStatus.NoSuchDomain, TimeSpan.Zero, "malformed name, not queried"));

    private void TraceAddresses(int depth, string name, AddressFamily family, DnsAnswer<IPAddress> answer) =>
        Trace(depth, name, family == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A, answer, static a => a.ToString());

    private async ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, int depth)
    {
        var answer = IsQueryableName(name)
            ? await WithDeadline(resolver.LookupMxAsync(name, cancellationToken)).ConfigureAwait(false)
            : DnsAnswer<MxRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.Zero, "malformed name, not queried");
        Trace(depth, name, DnsRecordType.MX, answer, static mx => $"{mx.Preference} {(mx.Exchange.Length == 0 ? "." : mx.Exchange)}");
        return answer;
    }

    private async ValueTask<DnsAnswer<string>> LookupPtrAsync(int depth)
    {
        var answer = await WithDeadline(resolver.LookupPtrAsync(client, cancellationToken)).ConfigureAwait(false);
        Trace(depth, DnsName.ReverseName(client), DnsRecordType.PTR, answer, static name => name);
        return answer;
    }

    /// <summary>
    /// Stops waiting when the check's token fires, even if the resolver does not watch it: the deadline is
    /// Vouch's promise, not the resolver's. An answer already there costs nothing extra.
    /// </summary>
    private ValueTask<DnsAnswer<T>> WithDeadline<T>(ValueTask<DnsAnswer<T>> lookup) =>
        lookup.IsCompletedSuccessfully ? lookup : new ValueTask<DnsAnswer<T>>(lookup.AsTask().WaitAsync(cancellationToken));

    private void Trace<T>(int depth, string name, DnsRecordType type, DnsAnswer<T> answer, Func<T, string> describe)
    {
        if (trace is null)
        {
            return;
        }

        var answers = answer.Records.Count == 0 ? Array.Empty<string>() : answer.Records.Select(describe).ToArray();
        trace.Add(new SpfDnsQueryEvent(depth, name, type, answer.Status, answers, answer.Problem));
    }
}
