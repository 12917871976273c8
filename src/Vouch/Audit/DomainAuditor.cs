using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Vouch.Checks;
using Vouch.Dns;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Text;

namespace Vouch.Audit;

/// <summary>
/// <c>vouch audit</c>: what receivers running Vouch decide about each outbound server of a domain. Every verdict
/// comes from <see cref="SenderChecker"/>, the code behind <c>vouch check</c> and the policy service, under the
/// receiver's configuration: the audit cannot disagree with a receiver that has the same table.
/// </summary>
/// <param name="checker">The receiver's checks and decision table.</param>
public sealed partial class DomainAuditor(SenderChecker checker)
{
    private const int MaxConcurrentChecks = 8;
    private const int MaxRmxQueries = 10;

    private readonly SenderChecker checker = checker ?? throw new ArgumentNullException(nameof(checker));

    /// <summary>
    /// Audits <paramref name="request"/>; for the rows that are not white, finds the cheapest set of records that
    /// makes them white (<see cref="AuditReport.Fixes"/>, each candidate tried through the receiver's own checks),
    /// lists the other candidates that would also help (<see cref="AuditReport.Alternatives"/>), and audits again
    /// with the chosen records in place (<see cref="AuditReport.After"/>).
    /// </summary>
    public async Task<AuditReport> AuditAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        var report = await AuditAsIsAsync(request, cancellationToken).ConfigureAwait(false);
        var failing = report.Rows.Where(r => r.Outcome.Decision.Verdict != Verdict.White).ToList();
        var (overLimit, flattened) = await FlattenedAsync(report, cancellationToken).ConfigureAwait(false);
        if (failing.Count == 0 && flattened is null)
        {
            return report;
        }

        var candidates = await FixPlanner.CandidatesAsync(report, checker.Resolver, checker.Suffixes, overLimit ? flattened : null, cancellationToken).ConfigureAwait(false);
        var flattening = flattened is null ? null : FixPlanner.Flatten(report, flattened);
        if (flattening is not null)
        {
            candidates.Add(flattening);
        }

        var helps = new List<HashSet<int>>();
        foreach (var candidate in candidates)
        {
            helps.Add(await WhiteRowsAsync([candidate], failing, candidate.Covers, cancellationToken).ConfigureAwait(false));
        }

        // Over the limit, the record is an error whatever the audited servers get: flattening is chosen first, and an
        // F-SPF-IP built on the flattened record takes its place.
        var chosen = new List<AuditFix>();
        if (overLimit && flattening is not null)
        {
            chosen.Add(flattening);
        }

        // Greedy, row by row, cheapest first: a row already white with what is chosen needs nothing more. A name has
        // one SPF record: a candidate that would publish a second one at a name already changed is passed over.
        for (var row = 0; row < failing.Count; row++)
        {
            if (chosen.Count > 0 && (await WhiteRowsAsync(chosen, [failing[row]], null, cancellationToken).ConfigureAwait(false)).Count == 1)
            {
                continue;
            }

            // Tried with what is chosen so far: a record that helps alone may not help beside another.
            foreach (var candidate in candidates.Where(c => !chosen.Contains(c) && !SpfClash(chosen, c)))
            {
                var trial = chosen.Where(c => !(c.Id == candidate.Supersedes && c.Name == candidate.Name)).Append(candidate).ToList();
                if ((await WhiteRowsAsync(trial, [failing[row]], null, cancellationToken).ConfigureAwait(false)).Count == 1)
                {
                    chosen = trial;
                    break;
                }
            }
        }

        // F-PTR never helps alone, yet receivers that require iprev want it: always offered for a server without a name.
        var alternatives = candidates.Where((c, i) => !chosen.Contains(c) && (helps[i].Count > 0 || c.Id is "F-PTR" or "F-FLATTEN")).ToList();
        report = report with { Fixes = chosen, Alternatives = alternatives };
        if (chosen.Count == 0)
        {
            return report;
        }

        var proposed = new DomainAuditor(new SenderChecker(new ProposedDnsResolver(checker.Resolver, chosen.SelectMany(f => f.Records)), checker.Suffixes, checker.Configuration));
        var after = await proposed.AuditAsIsAsync(
            request with { Addresses = [.. report.Servers.Select(s => s.Address)], ServerHelos = HeloChanges(chosen) },
            cancellationToken).ConfigureAwait(false);
        return report with { After = after };
    }

    /// <summary>
    /// The domain's record with its own includes flattened, when it is over the lookup limit (SPF-LOOKUPS) or near it
    /// (SPF-NEAR-LIMIT) and flattening brings it within the limit; whether it is over.
    /// </summary>
    private async Task<(bool OverLimit, FlattenedSpf? Flattened)> FlattenedAsync(AuditReport report, CancellationToken cancellationToken)
    {
        if (report.Spf is not { } spf || !spf.Findings.Any(f => f.Id is "SPF-LOOKUPS" or "SPF-NEAR-LIMIT"))
        {
            return (false, null);
        }

        var flattened = await SpfFlattener.FlattenAsync(spf, checker.Resolver, checker.Configuration.Spf, checker.Suffixes, cancellationToken).ConfigureAwait(false);
        if (flattened is null || flattened.LookupsAfter >= flattened.LookupsBefore || flattened.LookupsAfter > checker.Configuration.Spf.MaxDnsLookups)
        {
            return (false, null);
        }

        return (spf.Findings.Any(f => f.Id == "SPF-LOOKUPS"), flattened);
    }

    private static bool SpfClash(IEnumerable<AuditFix> chosen, AuditFix candidate) =>
        candidate.After is not null && chosen.Any(c => c.After is not null && c.Name == candidate.Name && c.Id != candidate.Supersedes);

    private static Dictionary<IPAddress, string> HeloChanges(IEnumerable<AuditFix> fixes) =>
        fixes.Where(f => f.HeloName is not null).SelectMany(f => f.Covers.Select(a => (Address: a, f.HeloName))).DistinctBy(c => c.Address).ToDictionary(c => c.Address, c => c.HeloName!);

    /// <summary>Which of <paramref name="rows"/> (of the servers <paramref name="only"/>, or all) the receiver decides white once <paramref name="fixes"/> are published.</summary>
    private async Task<HashSet<int>> WhiteRowsAsync(IReadOnlyList<AuditFix> fixes, List<AuditRow> rows, IReadOnlyList<IPAddress>? only, CancellationToken cancellationToken)
    {
        var trial = new SenderChecker(new ProposedDnsResolver(checker.Resolver, fixes.SelectMany(f => f.Records)), checker.Suffixes, checker.Configuration);
        var helos = HeloChanges(fixes);
        var white = new HashSet<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (only is not null && !only.Contains(row.Address))
            {
                continue;
            }

            var request = helos.TryGetValue(row.Address, out var helo) ? CheckRequest.Create(row.Address, row.MailFrom, helo) : row.Outcome.Request;
            var outcome = await trial.CheckAsync(request, cancellationToken).ConfigureAwait(false);
            if (outcome.Decision.Verdict == Verdict.White)
            {
                white.Add(i);
            }
        }

        return white;
    }

    private async Task<AuditReport> AuditAsIsAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var domain = request.Domain.TrimEnd('.').ToLowerInvariant();
        var findings = new List<AuditFinding>();
        var mxHosts = await MxHostsAsync(domain, findings, cancellationToken).ConfigureAwait(false);
        var spfAudit = new SpfRecordAudit(checker.Resolver, checker.Configuration.Spf, checker.Suffixes);
        var spf = await spfAudit.AuditAsync(domain, [.. request.Addresses.Select(Normal)], cancellationToken).ConfigureAwait(false);
        List<(IPAddress Address, string Origin)> candidates = request.Addresses.Count > 0
            ? [.. request.Addresses.Select(address => (Normal(address), "given"))]
            : [.. Discover(domain, mxHosts, spf), .. await RmxServersAsync(domain, findings, cancellationToken).ConfigureAwait(false)];
        if (request.Addresses.Count == 0 && candidates.Count > 0)
        {
            // The tree's matches name the servers discovery found.
            spf = await spfAudit.AuditAsync(domain, [.. candidates.Select(c => c.Address).Distinct()], cancellationToken).ConfigureAwait(false);
        }

        findings.AddRange(spf.Findings);
        if (candidates.Count == 0)
        {
            findings.Add(new AuditFinding("AUDIT-NO-SERVERS", FindingSeverity.Error, domain, $"no outbound server of {domain} was found in its DNS: give them with --ip", null, null, null));
        }

        var fcrdns = new FcrdnsCheck(checker.Resolver, checker.Configuration.Registration);
        var servers = new List<AuditServer>();
        foreach (var (address, origin) in candidates.DistinctBy(c => c.Address))
        {
            var reverse = await fcrdns.CheckAsync(address, cancellationToken).ConfigureAwait(false);
            ReverseFindings(address, reverse, findings);
            servers.Add(new AuditServer(address, origin, Helos(request, address, reverse, mxHosts)));
        }

        var identities = new List<string> { $"postmaster@{domain}" };
        identities.AddRange(request.MailFroms.Where(m => m.Length > 0));
        identities.Add("");
        var rows = await CheckAllAsync(servers, identities.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        rows = await WithProfilesAsync(rows, cancellationToken).ConfigureAwait(false);
        RowFindings(rows, findings);
        return new AuditReport(domain, servers, rows, [.. findings.DistinctBy(f => (f.Id, f.Subject)).OrderBy(f => Rank(f.Severity))]) { Spf = spf };
    }

    private static int Rank(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Error => 0,
        FindingSeverity.TestError => 1,
        FindingSeverity.Warn => 2,
        _ => 3,
    };

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The domain's MX hosts with their addresses; Null MX, unresolvable hosts, hosts that are aliases and DNS trouble are findings.</summary>
    private async Task<List<(string Host, IReadOnlyList<IPAddress> Addresses)>> MxHostsAsync(string domain, List<AuditFinding> findings, CancellationToken cancellationToken)
    {
        var hosts = new List<(string, IReadOnlyList<IPAddress>)>();
        var mx = await checker.Resolver.LookupMxAsync(domain, cancellationToken).ConfigureAwait(false);
        if (mx.Status.IsTemporaryFailure())
        {
            findings.Add(new AuditFinding("DNS-TEMPERROR", FindingSeverity.TestError, domain, $"the MX records of {domain} could not be read ({mx.Status.ToToken()}): not known whether it has any", "RFC 2308 §7", mx.Problem, null));
            return hosts;
        }

        if (mx.Status == DnsStatus.Records && mx.Records.Count == 1 && mx.Records[0].Exchange.Length == 0)
        {
            findings.Add(new AuditFinding("MX-NULL", FindingSeverity.Info, domain, $"{domain} publishes a Null MX: it receives no mail, so no server can be registered as its MX host, and mail from {domain} itself is refused", "RFC 7505 §3", $"{domain}. MX 0 .", null));
            return hosts;
        }

        foreach (var record in mx.Records.Where(r => r.Exchange.Length > 0).OrderBy(r => r.Preference))
        {
            var addresses = new List<IPAddress>();
            var failed = false;
            string? canonical = null;
            foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                var answer = await checker.Resolver.LookupAddressesAsync(record.Exchange, family, cancellationToken).ConfigureAwait(false);
                failed |= answer.Status.IsTemporaryFailure();
                addresses.AddRange(answer.Records);
                canonical ??= answer.CanonicalName;
            }

            if (canonical is not null)
            {
                // RFC 2181 §10.3, RFC 5321 §5.1: the name in an MX record must not be an alias.
                findings.Add(new AuditFinding("MX-CNAME", FindingSeverity.Warn, record.Exchange, $"MX host {record.Exchange} of {domain} is an alias of {canonical}: the name in an MX record must not be a CNAME, and some senders refuse or mis-handle it; name {canonical} in the MX record instead", "RFC 2181 §10.3", $"{record.Exchange}. CNAME {canonical}.", null));
            }

            if (failed && addresses.Count == 0)
            {
                findings.Add(new AuditFinding("DNS-TEMPERROR", FindingSeverity.TestError, record.Exchange, $"the addresses of MX host {record.Exchange} could not be read", null, null, null));
            }
            else if (addresses.Count == 0)
            {
                findings.Add(new AuditFinding("MX-NORESOLVE", FindingSeverity.Warn, record.Exchange, $"MX host {record.Exchange} of {domain} has no address: mail to it cannot be delivered, and it registers no server", "RFC 5321 §5.1", $"{domain}. MX {record.Preference} {record.Exchange}.", null));
            }

            hosts.Add((record.Exchange, addresses));
        }

        return hosts;
    }

    /// <summary>
    /// The servers the domain's own DNS names: its MX hosts, the addresses its own SPF terms authorise, and the first
    /// address of each of its own SPF networks standing for the network. Providers' ranges (includes into another
    /// organisation) are summarised in the SPF tree, not enumerated.
    /// </summary>
    private static List<(IPAddress Address, string Origin)> Discover(string domain, List<(string Host, IReadOnlyList<IPAddress> Addresses)> mxHosts, SpfRecordReport spf)
    {
        var found = new List<(IPAddress, string)>();
        found.AddRange(mxHosts.SelectMany(host => host.Addresses.Select(address => (Normal(address), $"MX host {host.Host}"))));
        found.AddRange(spf.OwnAddresses.Select(address => (Normal(address), $"SPF of {domain}")));
        foreach (var network in spf.OwnNetworks)
        {
            found.Add((FirstHost(network), $"SPF of {domain}: stands for {network}"));
        }

        return found;
    }

    /// <summary>
    /// The servers the domain's RMX records (<c>_rmx.DOMAIN</c>, draft-danisch-dns-rr-smtp-03 §7.1) authorise: ipv4 and
    /// ipv6 entries, what host entries resolve to, and the networks of apl entries, each standing for its network by
    /// its first host. Negated entries name no server; domain and mx entries name none beyond the MX hosts.
    /// Records that cannot be read are left to the rows' RMX findings.
    /// </summary>
    private async Task<List<(IPAddress Address, string Origin)>> RmxServersAsync(string domain, List<AuditFinding> findings, CancellationToken cancellationToken)
    {
        var found = new List<(IPAddress, string)>();
        var queried = 0;
        var name = $"_rmx.{domain}";
        var answer = await checker.Resolver.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        if (answer.Status.IsTemporaryFailure())
        {
            findings.Add(new AuditFinding("DNS-TEMPERROR", FindingSeverity.TestError, name, $"the RMX records of {domain} could not be read ({answer.Status.ToToken()}): the servers they name are not audited", null, answer.Problem, null));
            return found;
        }

        foreach (var record in answer.Records)
        {
            if (!RmxRecordParser.TryParse(record.Text, out var entries, out _))
            {
                continue;
            }

            foreach (var entry in entries!.Where(e => !e.Negated))
            {
                // The receiver follows at most 10 entries that query DNS; so does discovery (the records are the domain's, but may be anyone's text).
                if (entry.QueriesDns && ++queried > MaxRmxQueries)
                {
                    continue;
                }

                var origin = $"RMX of {domain}: {UntrustedText.Line(entry.Text, 80)}";
                switch (entry.Type)
                {
                    case RmxEntryType.IPv4 or RmxEntryType.IPv6 when entry.Network is { } network:
                        found.Add((FirstHost(network), network.PrefixLength == network.Address.GetAddressBytes().Length * 8 ? origin : $"{origin}, stands for {network}"));
                        break;
                    case RmxEntryType.Host when DnsName.IsValidMultiLabel(entry.Data):
                        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
                        {
                            var addresses = await checker.Resolver.LookupAddressesAsync(entry.Data, family, cancellationToken).ConfigureAwait(false);
                            found.AddRange(addresses.Records.Select(address => (Normal(address), origin)));
                        }

                        break;
                    case RmxEntryType.Apl when DnsName.IsValidMultiLabel(entry.Data):
                        var apl = await checker.Resolver.LookupAplAsync(entry.Data, cancellationToken).ConfigureAwait(false);
                        found.AddRange(apl.Records.Where(item => !item.Negated).Select(item => (FirstHost(item.Prefix), $"{origin}, stands for {item.Prefix}")));
                        break;
                }
            }
        }

        return found;
    }

    /// <summary>The first host address of a network (its first address plus one, so not the network's own address).</summary>
    private static IPAddress FirstHost(Network.AddressPrefix network)
    {
        var bytes = Normal(network.Address).GetAddressBytes();
        var length = network.PrefixLength;
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        if (length < bytes.Length * 8 - 1)
        {
            bytes[^1] |= 1;
        }

        return new IPAddress(bytes);
    }

    /// <summary>The HELO names to audit a server with: the given ones, else its confirmed names and the MX host names that resolve to it, else its address literal.</summary>
    private static List<string> Helos(AuditRequest request, IPAddress address, FcrdnsResult reverse, List<(string Host, IReadOnlyList<IPAddress> Addresses)> mxHosts)
    {
        if (request.ServerHelos.TryGetValue(address, out var changed))
        {
            return [changed];
        }

        if (request.Helos.Count > 0)
        {
            return [.. request.Helos];
        }

        var names = new List<string>(reverse.ConfirmedNames);
        names.AddRange(mxHosts.Where(host => host.Addresses.Any(a => Normal(a).Equals(address))).Select(host => host.Host));
        var distinct = names.Select(n => n.TrimEnd('.').ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count > 0 ? distinct : [AddressLiteral(address)];
    }

    private static string AddressLiteral(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";

    private async Task<List<AuditRow>> CheckAllAsync(List<AuditServer> servers, List<string> identities, CancellationToken cancellationToken)
    {
        var work = servers.SelectMany(s => s.Helos.SelectMany(helo => identities.Select(identity => (s.Address, Helo: helo, Identity: identity)))).ToList();
        var rows = new AuditRow[work.Count];
        using var slots = new SemaphoreSlim(MaxConcurrentChecks);
        await Task.WhenAll(work.Select(async (item, index) =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var outcome = await checker.CheckAsync(CheckRequest.Create(item.Address, item.Identity, item.Helo), cancellationToken).ConfigureAwait(false);
                rows[index] = new AuditRow(item.Address, item.Helo, item.Identity, outcome);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Each row checked again under the strict and the lenient way of counting SPF lookups.</summary>
    private async Task<List<AuditRow>> WithProfilesAsync(List<AuditRow> rows, CancellationToken cancellationToken)
    {
        var spf = checker.Configuration.Spf;
        var profiles = new (string Name, SenderChecker Checker)[]
        {
            ("strict", new SenderChecker(checker.Resolver, checker.Suffixes, checker.Configuration with { Spf = spf with { CountMxAddressLookups = true } })),
            ("lenient", new SenderChecker(checker.Resolver, checker.Suffixes, checker.Configuration with { Spf = spf with { MaxDnsLookups = Math.Max(spf.MaxDnsLookups, 30), MaxVoidLookups = int.MaxValue } })),
        };
        using var slots = new SemaphoreSlim(MaxConcurrentChecks);
        return [.. await Task.WhenAll(rows.Select(async row =>
        {
            var outcomes = new Dictionary<string, CheckOutcome>(StringComparer.Ordinal);
            foreach (var (name, profile) in profiles)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    outcomes[name] = await profile.CheckAsync(row.Outcome.Request, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }

            return row with { Profiles = outcomes };
        })).ConfigureAwait(false)];
    }

    private static void ReverseFindings(IPAddress address, FcrdnsResult reverse, List<AuditFinding> findings)
    {
        var subject = address.ToString();
        var ptrName = DnsName.ReverseName(address) + ".";
        switch (reverse.Code)
        {
            case FcrdnsResultCode.None:
                findings.Add(new AuditFinding("PTR-NONE", FindingSeverity.Warn, subject, $"{address} has no PTR record: receivers that require a name (iprev) refuse it, and it cannot register through its name", "RFC 8601 §3", ptrName, "F-PTR"));
                break;
            case FcrdnsResultCode.Fail:
                findings.Add(new AuditFinding("PTR-NOT-CONFIRMED", FindingSeverity.Warn, subject, $"the PTR names of {address} ({string.Join(", ", reverse.PtrNames)}) do not resolve back to it", "RFC 8601 §3", ptrName, "F-PTR"));
                break;
            case FcrdnsResultCode.TempError:
                findings.Add(new AuditFinding("DNS-TEMPERROR", FindingSeverity.TestError, subject, $"the reverse DNS of {address} could not be read", null, reverse.Problem, null));
                break;
            case FcrdnsResultCode.Pass when reverse.ConfirmedNames.FirstOrDefault(name => LooksGeneric(name, address)) is { } generic:
                findings.Add(new AuditFinding("PTR-GENERIC", FindingSeverity.Warn, subject, $"{address} is named {generic}, which looks like a dynamic or home address: many receivers refuse such names", null, generic, "F-PTR"));
                break;
        }
    }

    [GeneratedRegex(@"(^|[.-])(dyn|dynamic|dsl|adsl|dhcp|pool|cable|ppp|dial|dialup|client|customer|broadband|static)([.-]|\d|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GenericWords();

    private static bool LooksGeneric(string name, IPAddress address)
    {
        if (GenericWords().IsMatch(name))
        {
            return true;
        }

        // The address's own numbers in the name (198-51-100-7.isp.example): a name given to every customer.
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var octets = address.GetAddressBytes();
        return name.Contains($"{octets[0]}-{octets[1]}-{octets[2]}-{octets[3]}", StringComparison.Ordinal)
            || name.Contains($"{octets[3]}-{octets[2]}-{octets[1]}-{octets[0]}", StringComparison.Ordinal)
            || name.Contains($"{octets[0]}.{octets[1]}.{octets[2]}.{octets[3]}", StringComparison.Ordinal);
    }

    private static void RowFindings(List<AuditRow> rows, List<AuditFinding> findings)
    {
        foreach (var row in rows)
        {
            var evidence = row.Outcome.Evidence;
            var decision = row.Outcome.Decision;
            var subject = $"{row.Address} HELO {row.Helo} MAIL FROM <{row.MailFrom}>";
            // DNS trouble matters only when it decided: an SPF fail found despite it is final (the table's order).
            if (decision.Rule.When == RuleCondition.TemporaryFailure)
            {
                findings.Add(new AuditFinding("DNS-TEMPERROR", FindingSeverity.TestError, subject, $"DNS trouble kept the receiver from deciding: {decision.Reason}", null, decision.SmtpReply, null));
                continue;
            }

            var differing = row.Profiles.Where(p => p.Value.Decision.Verdict != decision.Verdict).ToList();
            if (differing.Count > 0)
            {
                findings.Add(new AuditFinding("PROFILE-VARIANCE", FindingSeverity.Warn, subject,
                    $"the verdict depends on how a receiver counts SPF lookups: Vouch's {Decision.Token(decision.Verdict)} ({decision.Rule.When.ToToken()}), "
                    + string.Join(", ", differing.Select(p => $"{p.Key} {Decision.Token(p.Value.Decision.Verdict)} ({p.Value.Decision.Rule.When.ToToken()})")),
                    "RFC 7208 §4.6.4", string.Join("; ", differing.Select(p => p.Value.Decision.Reason)), "F-SPF-IP"));
            }

            if (decision.Verdict != Verdict.White)
            {
                findings.Add(new AuditFinding("SERVER-NOT-WHITE", FindingSeverity.Error, subject,
                    $"a receiver running Vouch decides {Decision.Token(decision.Verdict)} by its {decision.Rule.When.ToToken()} row: enforcement answers {(decision.SmtpReply is { } reply ? reply[..Math.Min(reply.Length, 9)] : Decision.Token(decision.EnforcedAction))}",
                    RfcOf(decision.Rule.When), decision.Reason,
                    FixOf(decision.Rule.When) is "F-SPF-IP" && row.MailFrom.Length == 0
                        ? (row.Outcome.Request.Helo.Kind == HeloNameKind.Domain ? "F-HELO-SPF" : "F-OUT-DOMAIN")
                        : FixOf(decision.Rule.When)));
            }

            if (evidence.Blocked is { } listed && evidence.LocalBlocked is null)
            {
                findings.Add(new AuditFinding("LIST-HIT", FindingSeverity.Error, row.Address.ToString(), $"{listed.Subject} is listed by {listed.List}", "RFC 5782 §2", listed.Entry, null));
            }

            if (evidence.Rmx.Code is RmxResultCode.Denied or RmxResultCode.NotInRmx)
            {
                findings.Add(new AuditFinding("RMX-DENIED", FindingSeverity.Error, subject, $"the RMX records of {evidence.Rmx.Domain} do not authorise {row.Address} ({evidence.Rmx.Token})", "draft-danisch-dns-rr-smtp-03", evidence.Rmx.Entry, "F-RMX"));
            }
            else if (evidence.Rmx.Code == RmxResultCode.BadData)
            {
                findings.Add(new AuditFinding("RMX-BADDATA", FindingSeverity.Warn, evidence.Rmx.Domain, $"the RMX records of {evidence.Rmx.Domain} cannot be read: {evidence.Rmx.Problem}", "draft-danisch-dns-rr-smtp-03", null, "F-RMX"));
            }

            if (row.Outcome.Request.Helo.Kind == HeloNameKind.Domain && evidence.HeloSpf.WasChecked && evidence.HeloSpf.Code == SpfResultCode.None)
            {
                findings.Add(new AuditFinding("SPF-HELO-NONE", FindingSeverity.Warn, row.Helo, $"the HELO name {row.Helo} publishes no SPF record: bounces from this server (MAIL FROM <>) are judged by it", "RFC 7208 §2.3", evidence.HeloSpf.Problem, "F-HELO-SPF"));
            }
            else if (row.Outcome.Request.Helo.Kind == HeloNameKind.AddressLiteral)
            {
                findings.Add(new AuditFinding("HELO-LITERAL", FindingSeverity.Info, row.Address.ToString(), $"{row.Address} has no name to greet with: it was audited with HELO {row.Helo}; bounces from it have no HELO identity to check", "RFC 5321 §4.1.4", null, "F-OUT-DOMAIN"));
            }
        }

        foreach (var server in rows.GroupBy(r => r.Address))
        {
            if (server.All(r => r.Outcome.Evidence.Registration.Code != RegistrationResultCode.Registered) && server.All(r => r.Outcome.Decision.Verdict == Verdict.White))
            {
                findings.Add(new AuditFinding("REG-NONE", FindingSeverity.Info, server.Key.ToString(), $"{server.Key} passes by SPF or RMX only: no domain lists it as an MX host", null, null, "F-LOW-MX"));
            }
        }
    }

    private static string? RfcOf(RuleCondition rule) => rule switch
    {
        RuleCondition.SpfFail or RuleCondition.SpfSoftFail or RuleCondition.SpfNeutral or RuleCondition.SpfNone => "RFC 7208 §2.6",
        RuleCondition.SpfPermError => "RFC 7208 §2.6.7",
        RuleCondition.NullMxSender => "RFC 7505 §4",
        RuleCondition.BlockListed => "RFC 5782 §2",
        _ => null,
    };

    private static string? FixOf(RuleCondition rule) => rule switch
    {
        RuleCondition.SpfNone or RuleCondition.SpfSoftFail or RuleCondition.SpfNeutral or RuleCondition.SpfFail or RuleCondition.Always => "F-SPF-IP",
        RuleCondition.SpfPermError => "F-SPF-REPAIR",
        RuleCondition.RmxDenied => "F-RMX",
        _ => null,
    };
}
