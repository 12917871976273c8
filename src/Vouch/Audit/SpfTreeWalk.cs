using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Registration;
using Vouch.Spf;

namespace Vouch.Audit;

/// <summary>
/// One audit's walk of an SPF record tree: the counters of the root request (RFC 7208 §4.6.4) in evaluation
/// order, the findings and the discovered addresses. Unlike check_host() it never stops at a limit. Used once.
/// </summary>
internal sealed class SpfTreeWalk
{
    // Bounds for hostile trees (diamonds of distinct names): far beyond what any receiver evaluates.
    private const int MaxRecords = 100;
    private const int MaxDepth = 20;

    private const int MaxStringBytes = 255;
    private const int RecordSizeAdvice = 450;
    private const int UdpPayload = 512;

    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    private readonly IDnsResolver resolver;
    private readonly SpfOptions options;
    private readonly PublicSuffixList? suffixes;
    private readonly string root;
    private readonly string rootOrganization;
    private readonly IPAddress[] audited;
    private readonly CancellationToken cancellationToken;

    private readonly List<AuditFinding> findings = [];
    private readonly List<IPAddress> ownAddresses = [];
    private readonly List<AddressPrefix> ownNetworks = [];
    private readonly List<SpfProvider> providers = [];
    private readonly Dictionary<string, SpfBudgetNode> walked = new(StringComparer.Ordinal);
    private readonly HashSet<string> deadTargets = new(StringComparer.Ordinal);
    private readonly List<string> path = [];
    private readonly List<string> voidTerms = [];
    private int lookups;
    private int voids;
    private bool exceeded;
    private string? overLookupLimit;
    private string? overVoidLimit;
    private int records;
    private bool cut;

    public SpfTreeWalk(IDnsResolver resolver, SpfOptions options, PublicSuffixList? suffixes, string domain, IReadOnlyList<IPAddress> audited, CancellationToken cancellationToken)
    {
        this.resolver = resolver;
        this.options = options;
        this.suffixes = suffixes;
        root = domain;
        rootOrganization = Organization(domain);
        this.audited = audited.Distinct().ToArray();
        this.cancellationToken = cancellationToken;
    }

    public async Task<SpfRecordReport> RunAsync()
    {
        var tree = await WalkAsync(root, via: null, policy: true, own: true, reached: true, depth: 0).ConfigureAwait(false);
        AddTotals();
        return new SpfRecordReport(root, tree.Text, tree.Text is null ? null : tree, lookups, voids, findings.ToArray(), ownAddresses.ToArray(), ownNetworks.ToArray(), providers.ToArray()) { MaxDnsLookups = options.MaxDnsLookups };
    }

    private void AddTotals()
    {
        var max = options.MaxDnsLookups;
        if (lookups > max)
        {
            Add("SPF-LOOKUPS", FindingSeverity.Error, root, $"The SPF tree of {root} needs {lookups} DNS-querying terms, more than {max}: receivers give permerror to every address not matched before {overLookupLimit}.",
                "RFC 7208 §4.6.4", $"{lookups}/{max}; first over the limit: {overLookupLimit}", "F-FLATTEN");
        }
        else if (lookups >= max - 2)
        {
            Add("SPF-NEAR-LIMIT", FindingSeverity.Warn, root, $"The SPF tree of {root} needs {lookups} of {max} DNS-querying terms: one provider change can break it.",
                "RFC 7208 §4.6.4", $"{lookups}/{max}", null);
        }

        if (voids > options.MaxVoidLookups)
        {
            Add("SPF-VOID", FindingSeverity.Error, root, $"The SPF tree of {root} makes {voids} void lookups, more than {options.MaxVoidLookups}: receivers give permerror from {overVoidLimit} on.",
                "RFC 7208 §4.6.4", $"{voids}/{options.MaxVoidLookups}: {string.Join(", ", voidTerms)}", null);
        }
        else if (voids > 0)
        {
            Add("SPF-VOID", FindingSeverity.Warn, root, $"The SPF tree of {root} makes {voids} void lookup(s) (of {options.MaxVoidLookups} allowed): a term whose target has no records.",
                "RFC 7208 §4.6.4", $"{voids}/{options.MaxVoidLookups}: {string.Join(", ", voidTerms)}", null);
        }

        if (cut)
        {
            Add("SPF-TREE-CUT", FindingSeverity.Warn, root, $"The SPF tree of {root} is larger than the audit follows ({MaxRecords} records, depth {MaxDepth}); the rest is not shown.",
                "RFC 7208 §4.6.4", $"{records} records walked", null);
        }
    }

    /// <summary>Selects, checks and walks the SPF record of <paramref name="domain"/> (RFC 7208 §4.4, §4.5).</summary>
    /// <param name="domain">The domain whose record is walked.</param>
    /// <param name="via">"include" or "redirect" for a target, null for the root.</param>
    /// <param name="policy">True for the root and its redirect targets: their result is the domain's (all strictness applies).</param>
    /// <param name="own">True below no provider include: what it authorises is the owner's.</param>
    /// <param name="reached">False below a term evaluation never reaches: nothing is counted.</param>
    /// <param name="depth">The include/redirect depth, 0 at the root.</param>
    private async Task<SpfBudgetNode> WalkAsync(string domain, string? via, bool policy, bool own, bool reached, int depth)
    {
        records++;
        path.Add(domain);
        try
        {
            var answer = DnsName.IsValidMultiLabel(domain)
                ? await AskAsync(resolver.LookupTxtAsync(domain, cancellationToken)).ConfigureAwait(false)
                : DnsAnswer<TxtRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.Zero, "not a multi-label domain name, not queried");
            if (answer.Status.IsTemporaryFailure())
            {
                DnsFailure("TXT", domain, answer.Status, answer.Problem, via is null ? null : $"{via} target");
                return Empty(domain, $"TXT lookup failed: {answer.Problem ?? answer.Status.ToToken()}");
            }

            var spf = answer.Records.Where(r => SpfRecord.HasSpfVersion(r.Text)).ToArray();
            if (spf.Length == 0)
            {
                var seen = answer.Status == DnsStatus.Records ? $"{answer.Records.Count} TXT record(s), none starting with v=spf1" : $"TXT: {answer.Status.ToToken()}";
                if (via is null)
                {
                    Add("SPF-NONE", FindingSeverity.Error, domain, $"{domain} publishes no SPF record: receivers get none and cannot tell its servers from forgers.", "RFC 7208 §4.5", seen, "F-SPF-IP");
                }
                else
                {
                    deadTargets.Add(domain);
                    var rule = via == "include" ? "RFC 7208 §5.2" : "RFC 7208 §6.1";
                    Add("SPF-DEAD-TARGET", FindingSeverity.Error, domain, $"The {via} target {domain} publishes no SPF record: receivers give permerror when they get there.", rule, seen, null);
                }

                return Empty(domain, "no SPF record");
            }

            CheckSize(domain, answer.Records, spf);
            if (spf.Length > 1)
            {
                // RFC 7208 §4.5: two records are permerror, even identical ones.
                Add("SPF-MULTI", FindingSeverity.Error, domain, $"{domain} publishes {spf.Length} SPF records: receivers give permerror; merge them into one.", "RFC 7208 §4.5",
                    string.Join(" | ", spf.Select(r => r.Text)), null);
                return Empty(domain, $"{spf.Length} SPF records");
            }

            var text = spf[0].Text;
            if (!SpfRecord.TryParse(text, out var record, out var error))
            {
                Add("SPF-SYNTAX", FindingSeverity.Error, domain, $"The SPF record of {domain} has a syntax error at column {error!.Column}: {error.Message}; receivers give permerror.", "RFC 7208 §4.6",
                    $"column {error.Column}: {text}", null);
                return new SpfBudgetNode(domain, text, [], 0, 0, [], error.ToString());
            }

            return await WalkRecordAsync(domain, record!, policy, own, reached, depth).ConfigureAwait(false);
        }
        finally
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    private static SpfBudgetNode Empty(string domain, string problem) => new(domain, null, [], 0, 0, [], problem);

    /// <summary>RFC 7208 §3.3 (strings of at most 255 octets) and §3.4 (record size, UDP answer size).</summary>
    private void CheckSize(string domain, IReadOnlyList<TxtRecord> all, TxtRecord[] spf)
    {
        foreach (var record in spf)
        {
            var longest = record.Strings.Count == 0 ? 0 : record.Strings.Max(Encoding.UTF8.GetByteCount);
            if (longest > MaxStringBytes)
            {
                Add("SPF-STRING255", FindingSeverity.Error, domain, $"The SPF record of {domain} has a TXT string of {longest} bytes; one string holds at most {MaxStringBytes}: split it into several strings of one record.",
                    "RFC 7208 §3.3", $"{record.Strings.Count} string(s), longest {longest} bytes", null);
            }
        }

        var size = Encoding.UTF8.GetByteCount(spf[0].Text);

        // Header, question, and per record a compressed name, type, class, TTL and length, then the strings with their length octets.
        var answerSize = 12 + Encoding.UTF8.GetByteCount(domain) + 2 + 4 + all.Sum(r => 12 + r.Strings.Sum(s => 1 + Encoding.UTF8.GetByteCount(s)));
        if (size > RecordSizeAdvice || answerSize > UdpPayload)
        {
            var tcp = answerSize > UdpPayload ? $"; the TXT answer (about {answerSize} bytes) exceeds {UdpPayload} and needs TCP, which some receivers do not try" : "";
            Add("SPF-SIZE", FindingSeverity.Warn, domain, $"The SPF record of {domain} is {size} bytes (advice: at most {RecordSizeAdvice}){tcp}.", "RFC 7208 §3.4",
                $"record {size} bytes, TXT answer about {answerSize} bytes", "F-FLATTEN");
        }
    }

    /// <summary>RFC 7208 §4.6: the directives in order, then the redirect; counted as check_host() would, past the limits.</summary>
    private async Task<SpfBudgetNode> WalkRecordAsync(string domain, SpfRecord record, bool policy, bool own, bool reached, int depth)
    {
        var terms = new List<SpfBudgetTerm>();
        var decided = new Dictionary<IPAddress, bool>();
        var nodeLookups = 0;
        var nodeVoids = 0;
        var afterAll = false;
        var unreached = new List<string>();
        foreach (var directive in record.Directives)
        {
            var (term, subtreeVoids) = await TermAsync(directive.Text, directive.Column, directive.Mechanism, null, domain, policy, own, reached && !afterAll, depth).ConfigureAwait(false);
            terms.Add(term);
            if (afterAll)
            {
                unreached.Add(directive.Text);
                continue;
            }

            nodeLookups += term.SubtreeCost;
            nodeVoids += subtreeVoids;
            Decide(decided, term, directive.Qualifier == SpfQualifier.Pass, reached);
            if (directive.Mechanism is AllMechanism)
            {
                afterAll = true;
                CheckAll(domain, directive, policy);
            }
        }

        if (unreached.Count > 0)
        {
            Add("SPF-AFTER-ALL", FindingSeverity.Warn, domain, $"The SPF record of {domain} has terms after 'all': evaluation never reaches them.", "RFC 7208 §5.1",
                string.Join(' ', unreached), null);
        }

        if (record.Redirect is { } redirect)
        {
            // RFC 7208 §6.1: with "all" present, redirect is ignored.
            var (term, subtreeVoids) = await TermAsync(redirect.Text, redirect.Column, null, redirect, domain, policy, own, reached && !record.HasAll, depth).ConfigureAwait(false);
            terms.Add(term);
            if (!record.HasAll)
            {
                nodeLookups += term.SubtreeCost;
                nodeVoids += subtreeVoids;
                Decide(decided, term, true, reached);
            }
        }
        else if (policy && !record.HasAll)
        {
            Add("SPF-ALL-MISSING", FindingSeverity.Warn, domain, $"The SPF record of {domain} ends without 'all' or redirect: unmatched senders get neutral, which receivers treat like no policy.", "RFC 7208 §4.7",
                record.Text, null);
        }

        foreach (var modifier in record.Modifiers)
        {
            if (modifier.Name.Equals("exp", StringComparison.OrdinalIgnoreCase) && modifier.Value.HasMacros)
            {
                AddMacroFinding(domain, modifier.Text, modifier.Value);
            }
        }

        var passing = audited.Where(a => decided.TryGetValue(a, out var pass) && pass).ToArray();
        return new SpfBudgetNode(domain, record.Text, terms.ToArray(), nodeLookups, nodeVoids, passing, null);
    }

    /// <summary>
    /// First match per audited address (RFC 7208 §4.6.2). For include and redirect a match is the target's pass.
    /// Past the limit the term is permerror; once the limit is passed inside a subtree, the unmatched rest is too.
    /// </summary>
    private void Decide(Dictionary<IPAddress, bool> decided, SpfBudgetTerm term, bool qualifierPasses, bool reached)
    {
        var limited = reached && term.Notes.HasFlag(SpfTermNotes.BeyondLimit);
        foreach (var address in audited)
        {
            if (decided.ContainsKey(address))
            {
                continue;
            }

            if (limited)
            {
                decided[address] = false;
            }
            else if (term.Matches.Contains(address))
            {
                decided[address] = qualifierPasses;
            }
            else if (reached && exceeded)
            {
                decided[address] = false;
            }
        }
    }

    private void CheckAll(string domain, SpfDirective all, bool policy)
    {
        if (all.Qualifier == SpfQualifier.Pass)
        {
            // Anywhere in the tree: an include that passes everyone makes the including record pass everyone (§5.2).
            Add("SPF-ALL-WEAK", FindingSeverity.Error, domain, $"The SPF record of {domain} ends with '{all.Text}': it authorises every address on the Internet.", "RFC 7208 §5.1",
                all.Text, null);
        }
        else if (all.Qualifier == SpfQualifier.Neutral && policy)
        {
            Add("SPF-ALL-WEAK", FindingSeverity.Warn, domain, $"The SPF record of {domain} ends with '{all.Text}': unmatched senders get neutral, which says nothing; use ~all or -all.", "RFC 7208 §8.2",
                all.Text, null);
        }
    }

    /// <summary>One term (a directive, or the redirect modifier when <paramref name="redirect"/> is given): its cost, matches and child.</summary>
    private async Task<(SpfBudgetTerm Term, int SubtreeVoids)> TermAsync(string text, int column, SpfMechanism? mechanism, SpfModifier? redirect, string domain, bool policy, bool own, bool counted, int depth)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var notes = counted ? SpfTermNotes.None : SpfTermNotes.NeverReached;
        var cost = mechanism is null || mechanism.CountsTowardLookupLimit ? 1 : 0;
        if (counted && cost == 1 && ++lookups > options.MaxDnsLookups && !exceeded)
        {
            // RFC 7208 §4.6.4: the 11th DNS-querying term is permerror; nothing after it is evaluated.
            exceeded = true;
            overLookupLimit = $"{text} ({domain})";
        }

        if (counted && exceeded)
        {
            notes |= SpfTermNotes.BeyondLimit;
        }

        var spec = mechanism switch
        {
            AMechanism a => a.Domain,
            MxMechanism mx => mx.Domain,
            IncludeMechanism include => include.Domain,
            ExistsMechanism exists => exists.Domain,
            PtrMechanism ptr => ptr.Domain,
            _ => redirect?.Value,
        };
        if (spec is { HasMacros: true })
        {
            notes |= SpfTermNotes.Macro;
            AddMacroFinding(domain, text, spec);
        }

        var target = mechanism is Ip4Mechanism or Ip6Mechanism or AllMechanism ? null : TargetFor(spec, domain);
        var outcome = new TermOutcome();
        switch (mechanism)
        {
            case AllMechanism:
                outcome.Matches.AddRange(audited);
                break;
            case Ip4Mechanism ip4:
                MatchNetwork(ip4.Network, own, outcome);
                break;
            case Ip6Mechanism ip6:
                MatchNetwork(ip6.Network, own, outcome);
                break;
            case AMechanism a when target is not null:
                await MatchAAsync(text, target, a.Ip4PrefixLength, a.Ip6PrefixLength, own, outcome).ConfigureAwait(false);
                break;
            case MxMechanism mx when target is not null:
                await MatchMxAsync(text, target, mx.Ip4PrefixLength, mx.Ip6PrefixLength, own, outcome).ConfigureAwait(false);
                break;
            case ExistsMechanism exists when target is not null:
                await MatchExistsAsync(text, exists.Domain, domain, outcome).ConfigureAwait(false);
                break;
            case PtrMechanism when target is not null:
                Add("SPF-PTR", FindingSeverity.Warn, domain, $"The SPF record of {domain} uses '{text}': slow, unreliable, and receivers may skip it.", "RFC 7208 §5.5", text, "F-SPF-IP");
                await MatchPtrAsync(text, target, outcome).ConfigureAwait(false);
                break;
            case IncludeMechanism or null when target is not null:
                await WalkTargetAsync(text, target, mechanism is null ? "redirect" : "include", domain, policy, own, counted, depth, outcome).ConfigureAwait(false);
                break;
            default:
                outcome.Detail = "the target depends on the sender (macros) and no address was audited";
                break;
        }

        notes |= outcome.Notes;
        if (outcome.Voids > 0)
        {
            notes |= SpfTermNotes.Void;
            if (counted)
            {
                voids += outcome.Voids;
                voidTerms.Add($"{text} ({domain})");
                if (voids > options.MaxVoidLookups && !exceeded)
                {
                    // RFC 7208 §4.6.4: the third void lookup is permerror.
                    exceeded = true;
                    overVoidLimit = $"{text} ({domain})";
                    notes |= SpfTermNotes.BeyondLimit;
                }
            }
        }

        if (counted && outcome.ReusedLookups > 0)
        {
            // A duplicate include is evaluated again: its subtree counts again.
            lookups += outcome.ReusedLookups;
            voids += outcome.ReusedVoids;
            if (lookups > options.MaxDnsLookups && !exceeded)
            {
                exceeded = true;
                overLookupLimit = $"{text} ({domain}, again)";
                notes |= SpfTermNotes.BeyondLimit;
            }
        }

        var subtreeCost = cost + (outcome.Child?.Lookups ?? 0);
        var subtreeVoids = outcome.Voids + (outcome.Child?.VoidLookups ?? 0);
        var network = mechanism switch
        {
            Ip4Mechanism ip4 => ip4.Network,
            Ip6Mechanism ip6 => ip6.Network,
            _ => (AddressPrefix?)null,
        };
        var term = new SpfBudgetTerm(text, column, target, network, cost, subtreeCost, lookups, outcome.Voids, outcome.Matches.Distinct().ToArray(), outcome.Child, notes, outcome.Detail);
        return (term, subtreeVoids);
    }

    private void MatchNetwork(AddressPrefix network, bool own, TermOutcome outcome)
    {
        outcome.Matches.AddRange(audited.Where(network.Contains));
        if (own)
        {
            Discover(network.Address, network.PrefixLength);
        }
    }

    /// <summary>RFC 7208 §5.3: both families are asked, since audited addresses may be of either.</summary>
    private async Task MatchAAsync(string text, string target, int ip4Length, int ip6Length, bool own, TermOutcome outcome)
    {
        var (addresses, failed) = await AddressesAsync(target, text).ConfigureAwait(false);
        if (failed)
        {
            outcome.Notes |= SpfTermNotes.DnsFailure;
            return;
        }

        if (addresses.Count == 0)
        {
            outcome.Voids = 1;
            DeadHost(text, target, "has no A or AAAA records", outcome);
            return;
        }

        MatchAddresses(addresses, ip4Length, ip6Length, own, outcome);
        outcome.Detail = $"{addresses.Count} address(es)";
    }

    /// <summary>RFC 7208 §5.4: the MX hosts' addresses, at most 10 hosts (§4.6.4).</summary>
    private async Task MatchMxAsync(string text, string target, int ip4Length, int ip6Length, bool own, TermOutcome outcome)
    {
        var answer = await AskAsync(DnsName.IsQueryable(target) ? resolver.LookupMxAsync(target, cancellationToken) : NotQueried<MxRecord>()).ConfigureAwait(false);
        if (answer.Status.IsTemporaryFailure())
        {
            DnsFailure("MX", target, answer.Status, answer.Problem, text);
            outcome.Notes |= SpfTermNotes.DnsFailure;
            return;
        }

        var hosts = answer.Records.Where(mx => mx.Exchange.Length > 0).Select(mx => mx.Exchange).Distinct(StringComparer.Ordinal).ToArray();
        if (answer.Status != DnsStatus.Records)
        {
            outcome.Voids = 1;
            DeadHost(text, target, $"has no MX records ({answer.Status.ToToken()})", outcome);
            return;
        }

        if (answer.Records.Count > options.MaxMxHosts)
        {
            // RFC 7208 §4.6.4: an mx mechanism with more than 10 MX records is permerror.
            Add("SPF-MX-ADDR", FindingSeverity.Error, target, $"'{text}' finds {answer.Records.Count} MX records at {target}, more than {options.MaxMxHosts}: receivers give permerror there.", "RFC 7208 §4.6.4",
                $"{answer.Records.Count} MX: {string.Join(", ", hosts.Take(12))}{(hosts.Length > 12 ? ", …" : "")}", "F-SPF-IP");
        }

        var all = new List<IPAddress>();
        foreach (var host in hosts.Take(options.MaxMxHosts))
        {
            var (addresses, failed) = await AddressesAsync(host, text).ConfigureAwait(false);
            if (failed)
            {
                outcome.Notes |= SpfTermNotes.DnsFailure;
            }

            all.AddRange(addresses);
        }

        MatchAddresses(all, ip4Length, ip6Length, own, outcome);
        outcome.Detail = $"{hosts.Length} MX host(s), {all.Count} address(es)";
    }

    /// <summary>RFC 7208 §5.7: an A query of the expanded name, per audited address when it holds macros.</summary>
    private async Task MatchExistsAsync(string text, MacroString spec, string domain, TermOutcome outcome)
    {
        var samples = spec.HasMacros ? audited.Select(a => (Address: (IPAddress?)a, Name: Expand(spec, domain, a))).ToArray() : [(null, Expand(spec, domain, null))];
        var empty = 0;
        foreach (var (address, name) in samples)
        {
            var answer = await AskAsync(DnsName.IsQueryable(name) ? resolver.LookupAddressesAsync(name, AddressFamily.InterNetwork, cancellationToken) : NotQueried<IPAddress>()).ConfigureAwait(false);
            if (answer.Status.IsTemporaryFailure())
            {
                DnsFailure("A", name, answer.Status, answer.Problem, text);
                outcome.Notes |= SpfTermNotes.DnsFailure;
            }
            else if (answer.Status == DnsStatus.Records)
            {
                outcome.Matches.AddRange(address is null ? audited : [address]);
            }
            else
            {
                empty++;
            }
        }

        // With macros the void count depends on the sender: counted when every audited expansion is empty.
        if (empty > 0 && empty == samples.Length)
        {
            outcome.Voids = 1;
            outcome.Notes |= SpfTermNotes.DeadTarget;
        }
    }

    /// <summary>RFC 7208 §5.5: a validated (forward-confirmed) reverse name of the address in the target.</summary>
    private async Task MatchPtrAsync(string text, string target, TermOutcome outcome)
    {
        foreach (var address in audited)
        {
            var answer = await AskAsync(resolver.LookupPtrAsync(address, cancellationToken)).ConfigureAwait(false);
            if (answer.Status.IsTemporaryFailure())
            {
                DnsFailure("PTR", DnsName.ReverseName(address), answer.Status, answer.Problem, text);
                outcome.Notes |= SpfTermNotes.DnsFailure;
                continue;
            }

            foreach (var name in answer.Records.Take(options.MaxPtrNames).Select(DnsName.Normalize))
            {
                if (!DnsName.IsSubdomainOrSelf(name, target) || !DnsName.IsQueryable(name))
                {
                    continue;
                }

                var forward = await AskAsync(resolver.LookupAddressesAsync(name, address.AddressFamily, cancellationToken)).ConfigureAwait(false);
                if (forward.Records.Contains(address))
                {
                    outcome.Matches.Add(address);
                    break;
                }
            }
        }
    }

    private async Task WalkTargetAsync(string text, string target, string via, string domain, bool policy, bool own, bool counted, int depth, TermOutcome outcome)
    {
        var organization = Organization(target);
        var provider = organization != rootOrganization;
        if (provider)
        {
            outcome.Notes |= SpfTermNotes.Provider;
        }

        if (path.Contains(target, StringComparer.Ordinal))
        {
            // check_host() would recurse here until the lookup limit gives permerror (RFC 7208 §4.6.4).
            outcome.Notes |= SpfTermNotes.Loop;
            outcome.Detail = $"loop: {string.Join(" → ", path.SkipWhile(p => p != target))} → {target}";
            Add("SPF-LOOP", FindingSeverity.Error, domain, $"'{text}' in {domain} leads back to {target}: receivers loop until the lookup limit and give permerror.", "RFC 7208 §4.6.4",
                outcome.Detail, null);
            return;
        }

        if (walked.TryGetValue(target, out var seen))
        {
            outcome.Notes |= SpfTermNotes.DuplicateInclude;
            outcome.Child = seen;
            outcome.ReusedLookups = seen.Lookups;
            outcome.ReusedVoids = seen.VoidLookups;
            outcome.Matches.AddRange(seen.PassingAddresses);
            if (deadTargets.Contains(target))
            {
                outcome.Notes |= SpfTermNotes.DeadTarget;
            }

            if (via == "include")
            {
                Add("SPF-DUP-INCLUDE", FindingSeverity.Warn, domain, $"{target} is included more than once: each include costs its lookups again.", "RFC 7208 §4.6.4",
                    $"{text} in {domain}", null);
            }

            return;
        }

        if (records >= MaxRecords || depth >= MaxDepth)
        {
            cut = true;
            outcome.Notes |= SpfTermNotes.NotWalked;
            return;
        }

        var child = await WalkAsync(target, via, policy && via == "redirect", own && !provider, counted, depth + 1).ConfigureAwait(false);
        walked[target] = child;
        outcome.Child = child;
        outcome.Matches.AddRange(child.PassingAddresses);
        if (deadTargets.Contains(target))
        {
            outcome.Notes |= SpfTermNotes.DeadTarget;
        }

        if (provider && own)
        {
            providers.Add(Summarize(target, organization, domain, child));
        }
    }

    private static SpfProvider Summarize(string target, string organization, string includedFrom, SpfBudgetNode child)
    {
        int ip4Terms = 0, ip6Terms = 0, nodes = 0;
        long ip4Addresses = 0;
        var ip6Addresses = UInt128.Zero;
        var seen = new HashSet<SpfBudgetNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<SpfBudgetNode>([child]);
        while (stack.TryPop(out var node))
        {
            if (!seen.Add(node))
            {
                continue;
            }

            nodes += node.Text is null ? 0 : 1;
            foreach (var term in node.Terms)
            {
                if (term.Network is { } network)
                {
                    if (network.Family == AddressFamily.InterNetwork)
                    {
                        ip4Terms++;
                        ip4Addresses += 1L << (32 - network.PrefixLength);
                    }
                    else
                    {
                        ip6Terms++;
                        var size = network.PrefixLength == 0 ? UInt128.MaxValue : UInt128.One << (128 - network.PrefixLength);
                        ip6Addresses = UInt128.MaxValue - ip6Addresses < size ? UInt128.MaxValue : ip6Addresses + size;
                    }
                }

                if (term.Child is { } next)
                {
                    stack.Push(next);
                }
            }
        }

        return new SpfProvider(target, organization, includedFrom, ip4Terms, ip6Terms, ip4Addresses, ip6Addresses, nodes, 1 + child.Lookups, child.VoidLookups, child.PassingAddresses);
    }

    private void MatchAddresses(List<IPAddress> addresses, int ip4Length, int ip6Length, bool own, TermOutcome outcome)
    {
        foreach (var address in addresses)
        {
            var length = address.AddressFamily == AddressFamily.InterNetwork ? ip4Length : ip6Length;
            var network = new AddressPrefix(address, length);
            outcome.Matches.AddRange(audited.Where(network.Contains));
            if (own)
            {
                Discover(address, length);
            }
        }
    }

    private void DeadHost(string text, string target, string what, TermOutcome outcome)
    {
        outcome.Notes |= SpfTermNotes.DeadTarget;
        outcome.Detail = $"{target} {what}";
        Add("SPF-DEAD-TARGET", FindingSeverity.Warn, target, $"'{text}' points at {target}, which {what}: a void lookup that matches nothing.", "RFC 7208 §4.6.4",
            $"{text}: {target} {what}", null);
    }

    private void Discover(IPAddress address, int prefixLength)
    {
        var host = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength == host)
        {
            if (!ownAddresses.Contains(address))
            {
                ownAddresses.Add(address);
            }
        }
        else
        {
            var network = new AddressPrefix(address, prefixLength);
            if (!ownNetworks.Contains(network))
            {
                ownNetworks.Add(network);
            }
        }
    }

    /// <summary>A and AAAA of <paramref name="name"/>; a failure of either is reported.</summary>
    private async Task<(List<IPAddress> Addresses, bool Failed)> AddressesAsync(string name, string term)
    {
        var addresses = new List<IPAddress>();
        var failed = false;
        foreach (var family in Families)
        {
            var answer = await AskAsync(DnsName.IsQueryable(name) ? resolver.LookupAddressesAsync(name, family, cancellationToken) : NotQueried<IPAddress>()).ConfigureAwait(false);
            if (answer.Status.IsTemporaryFailure())
            {
                DnsFailure(family == AddressFamily.InterNetwork ? "A" : "AAAA", name, answer.Status, answer.Problem, term);
                failed = true;
            }

            addresses.AddRange(answer.Records);
        }

        return (addresses, failed && addresses.Count == 0);
    }

    private void AddMacroFinding(string domain, string text, MacroString spec)
    {
        var evidence = audited.Length == 0
            ? "no audited address to expand it for"
            : string.Join("; ", audited.Select(a => $"{a} → {Expand(spec, domain, a)}"));
        Add("SPF-MACRO", FindingSeverity.Info, domain, $"'{text}' in {domain} uses macros: what it queries depends on the sender (shown for postmaster@{root}).", "RFC 7208 §7",
            evidence, null);
    }

    /// <summary>The target of a domain-spec: the current domain when absent; with macros, the first audited address's expansion, or null without one.</summary>
    private string? TargetFor(MacroString? spec, string domain) =>
        spec is null ? domain
        : !spec.HasMacros ? Expand(spec, domain, null)
        : audited.Length > 0 ? Expand(spec, domain, audited[0])
        : null;

    private string Expand(MacroString spec, string domain, IPAddress? address)
    {
        var context = new MacroContext("postmaster@" + root, "postmaster", root, domain, address ?? IPAddress.None, root, null, options.ReceivingHost, 0);
        var name = DnsName.Normalize(spec.Expand(context));

        // RFC 7208 §7.3: leading labels are dropped until the name fits in 253 characters.
        while (name.Length > DnsName.MaxLength && name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
        {
            name = name[(dot + 1)..];
        }

        return name;
    }

    private string Organization(string domain) => PublicSuffixList.OrganizationalDomainOrLastTwoLabels(suffixes, domain);

    private void DnsFailure(string type, string name, DnsStatus status, string? problem, string? term)
    {
        var id = status == DnsStatus.Timeout ? "DNS-TIMEOUT" : "DNS-SERVFAIL";
        var asked = term is null ? "" : $" (asked for {term})";
        var rule = type == "TXT" ? "RFC 7208 §4.4" : "RFC 7208 §2.6.6";
        Add(id, FindingSeverity.TestError, $"{type} {name}", $"The {type} query for {name}{asked} got no answer ({status.ToToken()}): the audit cannot tell, and receivers give temperror.", rule,
            problem ?? status.ToToken(), null);
    }

    private static ValueTask<DnsAnswer<T>> NotQueried<T>() =>
        ValueTask.FromResult(DnsAnswer<T>.Empty(DnsStatus.NoSuchDomain, TimeSpan.Zero, "malformed name, not queried"));

    /// <summary>Stops waiting when the audit is cancelled, even if the resolver does not watch the token.</summary>
    private Task<DnsAnswer<T>> AskAsync<T>(ValueTask<DnsAnswer<T>> lookup) => lookup.AsTask().WaitAsync(cancellationToken);

    private void Add(string id, FindingSeverity severity, string subject, string message, string? rfc, string? evidence, string? fix) =>
        findings.Add(new AuditFinding(id, severity, subject, message, rfc, evidence, fix));
}
