using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Registration;
using Vouch.Spf;

namespace Vouch.Audit;

/// <summary>
/// Flattens the owner's own includes of an audited SPF record — the last resort when the tree needs more than 10
/// DNS-querying terms or comes near that (RFC 7208 §4.6.4). An include whose target is in the audited domain's
/// organisation is replaced, where it stood, by the pass terms its record stands for: ip4 and ip6 as written, a and
/// mx resolved to the addresses DNS gives now. Providers' includes (other organisations) are kept as they are.
/// An include that cannot be flattened faithfully is kept too. Which case calls for flattening is the caller's to
/// decide: the proposal has to be redone whenever an own address changes. Used once per call.
/// </summary>
internal sealed class SpfFlattener
{
    // Bound for hostile trees (diamonds of own includes): far beyond what fits in a TXT record.
    private const int MaxPieces = 1000;

    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    private readonly IDnsResolver resolver;
    private readonly SpfOptions options;
    private readonly PublicSuffixList? suffixes;
    private readonly string rootOrganization;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<SpfBudgetNode, Flattening?> done = new(ReferenceEqualityComparer.Instance);
    private bool failed;

    private SpfFlattener(IDnsResolver resolver, SpfOptions options, PublicSuffixList? suffixes, string domain, CancellationToken cancellationToken)
    {
        this.resolver = resolver;
        this.options = options;
        this.suffixes = suffixes;
        this.cancellationToken = cancellationToken;
        rootOrganization = Organization(domain);
    }

    /// <summary>
    /// Proposes <paramref name="report"/>'s record with the owner's own includes flattened.
    /// </summary>
    /// <param name="report">The audit of the domain's SPF tree (<see cref="SpfRecordAudit"/>): its record, tree and subtree costs.</param>
    /// <param name="resolver">Where the a and mx terms of own includes are resolved.</param>
    /// <param name="options">The limits receivers apply; <see cref="SpfOptions.MaxMxHosts"/> (default 10) decides whether an mx term can be flattened.</param>
    /// <param name="suffixes">The Public Suffix List that tells organisations apart, as given to the audit; null compares the last two labels.</param>
    /// <param name="cancellationToken">Cancels the DNS questions.</param>
    /// <returns>
    /// The proposal; null when the domain has no single valid record, when DNS failed anywhere (in the audit or
    /// now), or when no own include can be flattened.
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<FlattenedSpf?> FlattenAsync(SpfRecordReport report, IDnsResolver resolver, SpfOptions options, PublicSuffixList? suffixes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);
        if (report.Tree is not { Text: { } text, Problem: null } tree || !SpfRecord.TryParse(text, out var record, out _))
        {
            return null;
        }

        // A tree walked over a failed answer is no ground for a record (RFC 7208 §2.6.6: temperror, not a result).
        if (report.Findings.Any(f => f.Severity == FindingSeverity.TestError))
        {
            return null;
        }

        var flattener = new SpfFlattener(resolver, options, suffixes, report.Domain, cancellationToken);
        return await flattener.RunAsync(report, tree, record!).ConfigureAwait(false);
    }

    private async Task<FlattenedSpf?> RunAsync(SpfRecordReport report, SpfBudgetNode tree, SpfRecord record)
    {
        var terms = Pair(record, tree);
        if (terms is null)
        {
            return null;
        }

        // The root's terms in the order written, modifiers included; the redirect's budget term is the tree's last.
        var elements = record.Directives.Select((d, i) => (d.Column, Directive: (SpfDirective?)d, Modifier: (SpfModifier?)null, Term: (SpfBudgetTerm?)terms[i]))
            .Concat(record.Modifiers.Select(m => (m.Column, Directive: (SpfDirective?)null, Modifier: (SpfModifier?)m, Term: ReferenceEquals(m, record.Redirect) ? tree.Terms[^1] : null)))
            .OrderBy(e => e.Column);

        var output = new List<string> { SpfRecord.Version };
        var networks = new List<AddressPrefix>();
        var flattened = new List<string>();
        var kept = new List<string>();
        var lookups = 0;
        foreach (var (_, directive, modifier, term) in elements)
        {
            if (modifier is not null)
            {
                output.Add(modifier.Text);

                // RFC 7208 §6.1: a redirect counts unless "all" makes it unreached.
                lookups += term is null || term.Notes.HasFlag(SpfTermNotes.NeverReached) ? 0 : term.SubtreeCost;
                continue;
            }

            var reached = !term!.Notes.HasFlag(SpfTermNotes.NeverReached);
            if (directive!.Mechanism is IncludeMechanism && reached && IsOwn(term))
            {
                var flattening = await FlattenIncludeAsync(term).ConfigureAwait(false);
                if (failed)
                {
                    return null;
                }

                if (flattening is { } flat)
                {
                    // RFC 7208 §5.2: the include matches exactly where its target passes, so each pass term of the
                    // target takes the include's own qualifier, in the include's place.
                    var qualifier = Prefix(directive.Qualifier);
                    foreach (var piece in flat.Pieces)
                    {
                        if (piece.Network is { } network)
                        {
                            // RFC 7208 §4.6.2: first match wins, so a network inside an earlier ip term adds nothing.
                            if (!networks.Exists(n => n.PrefixLength <= network.PrefixLength && n.Contains(network.Address)))
                            {
                                networks.Add(network);
                                output.Add(qualifier + piece.Text);
                            }
                        }
                        else
                        {
                            output.Add(qualifier + piece.Text);
                            lookups += piece.Cost;
                            AddOnce(kept, piece.Include!);
                        }
                    }

                    foreach (var name in flat.Names)
                    {
                        AddOnce(flattened, name);
                    }

                    continue;
                }
            }

            output.Add(directive.Text);

            // RFC 7208 §4.6.4: only terms evaluation reaches count; after "all" nothing is evaluated (§5.1).
            lookups += reached ? term.SubtreeCost : 0;
            switch (directive.Mechanism)
            {
                case Ip4Mechanism ip4:
                    networks.Add(ip4.Network);
                    break;
                case Ip6Mechanism ip6:
                    networks.Add(ip6.Network);
                    break;
                case IncludeMechanism left:
                    AddOnce(kept, term.Notes.HasFlag(SpfTermNotes.Macro) || term.Target is null ? left.Domain.Text : term.Target);
                    break;
            }
        }

        if (flattened.Count == 0)
        {
            return null;
        }

        var after = string.Join(' ', output);
        return new FlattenedSpf(report.Domain, record.Text, after, report.DnsLookups, lookups, flattened.ToArray(), kept.ToArray(), Encoding.UTF8.GetByteCount(after));
    }

    /// <summary>
    /// The pass terms an own include's target stands for, nested own includes flattened too; null when it cannot be
    /// flattened faithfully (the include is then kept) or DNS failed (<see cref="failed"/> is then set).
    /// </summary>
    private async Task<Flattening?> FlattenIncludeAsync(SpfBudgetTerm include)
    {
        const SpfTermNotes unflattenable = SpfTermNotes.Loop | SpfTermNotes.NotWalked | SpfTermNotes.Macro | SpfTermNotes.DeadTarget | SpfTermNotes.DnsFailure;
        if ((include.Notes & unflattenable) != 0 || include.Child is not { Text: { } text, Problem: null } node)
        {
            // No record (RFC 7208 §5.2: permerror when reached), several, a syntax error or a loop: keep what receivers see.
            return null;
        }

        if (done.TryGetValue(node, out var known))
        {
            return known;
        }

        var result = await FlattenRecordAsync(node, text).ConfigureAwait(false);
        if (!failed)
        {
            done[node] = result;
        }

        return result;
    }

    private async Task<Flattening?> FlattenRecordAsync(SpfBudgetNode node, string text)
    {
        if (!SpfRecord.TryParse(text, out var record, out _) || Pair(record!, node) is not { } terms)
        {
            return null;
        }

        if (record!.Redirect is not null)
        {
            // A redirect hands the include's result to another domain's policy (RFC 7208 §6.1): kept as it is.
            return null;
        }

        var pieces = new List<Piece>();
        var names = new List<string>();
        for (var i = 0; i < record.Directives.Count; i++)
        {
            var directive = record.Directives[i];
            var term = terms[i];
            if (directive.Mechanism is AllMechanism)
            {
                // RFC 7208 §5.2: the target's fail, softfail or neutral is no match, so a non-pass "all" only ends the
                // include (§5.1: nothing after it is evaluated). A "+all" passes everyone: kept for the owner to see.
                if (directive.Qualifier == SpfQualifier.Pass)
                {
                    return null;
                }

                break;
            }

            if (directive.Qualifier != SpfQualifier.Pass)
            {
                // A non-pass match ends the include with no match for addresses a later pass term may hold: there is
                // no way to write that in the including record (RFC 7208 §4.6.2, §5.2).
                return null;
            }

            switch (directive.Mechanism)
            {
                case Ip4Mechanism ip4:
                    pieces.Add(Piece.ForNetwork(ip4.Network.Address, ip4.Network.PrefixLength));
                    break;
                case Ip6Mechanism ip6:
                    pieces.Add(Piece.ForNetwork(ip6.Network.Address, ip6.Network.PrefixLength));
                    break;
                case AMechanism a:
                    // RFC 7208 §5.3: the addresses of the target, each with the dual-cidr-length.
                    if (a.Domain is { HasMacros: true } || term.Target is null)
                    {
                        return null;
                    }

                    var addresses = await AddressesAsync(term.Target).ConfigureAwait(false);
                    if (addresses is null)
                    {
                        return null;
                    }

                    pieces.AddRange(addresses.Select(ad => Piece.ForAddress(ad, a.Ip4PrefixLength, a.Ip6PrefixLength)));
                    break;
                case MxMechanism mx:
                    if (mx.Domain is { HasMacros: true } || term.Target is null)
                    {
                        return null;
                    }

                    var hosts = await MxAddressesAsync(term.Target).ConfigureAwait(false);
                    if (hosts is null)
                    {
                        return null;
                    }

                    pieces.AddRange(hosts.Select(ad => Piece.ForAddress(ad, mx.Ip4PrefixLength, mx.Ip6PrefixLength)));
                    break;
                case IncludeMechanism nested:
                    if (nested.Domain.HasMacros)
                    {
                        // %{d} is the included domain here and would be the root's once moved (RFC 7208 §7.2).
                        return null;
                    }

                    var inner = IsOwn(term) ? await FlattenIncludeAsync(term).ConfigureAwait(false) : null;
                    if (failed)
                    {
                        return null;
                    }

                    if (inner is { } flat)
                    {
                        pieces.AddRange(flat.Pieces);
                        names.AddRange(flat.Names.Where(n => !names.Contains(n, StringComparer.Ordinal)));
                    }
                    else if (term.Target is { } target)
                    {
                        // An include inside an include that passes matches where the inner target passes: moved up
                        // with its subtree, it means the same (RFC 7208 §5.2).
                        pieces.Add(new Piece(Unqualified(directive.Text), null, term.SubtreeCost, target));
                    }
                    else
                    {
                        return null;
                    }

                    break;
                default:
                    // exists and ptr depend on the sender or its PTR records (RFC 7208 §5.5, §5.7): no address list.
                    return null;
            }

            if (failed || pieces.Count > MaxPieces)
            {
                return null;
            }
        }

        if (!names.Contains(node.Domain, StringComparer.Ordinal))
        {
            names.Insert(0, node.Domain);
        }

        return new Flattening(pieces, names);
    }

    /// <summary>The budget term of each directive, checked against the parse; null when they do not line up.</summary>
    private static IReadOnlyList<SpfBudgetTerm>? Pair(SpfRecord record, SpfBudgetNode node)
    {
        var expected = record.Directives.Count + (record.Redirect is null ? 0 : 1);
        if (node.Terms.Count != expected)
        {
            return null;
        }

        for (var i = 0; i < record.Directives.Count; i++)
        {
            if (node.Terms[i].Column != record.Directives[i].Column)
            {
                return null;
            }
        }

        return node.Terms;
    }

    /// <summary>An include in the audited domain's organisation, as <see cref="SpfTreeWalk"/> tells them from providers'.</summary>
    private bool IsOwn(SpfBudgetTerm term) =>
        !term.Notes.HasFlag(SpfTermNotes.Provider) && term.Target is { } target && Organization(target) == rootOrganization;

    /// <summary>A and AAAA of <paramref name="name"/>; null on a temporary failure (and <see cref="failed"/> set).</summary>
    private async Task<List<IPAddress>?> AddressesAsync(string name)
    {
        var addresses = new List<IPAddress>();
        if (!DnsName.IsQueryable(name))
        {
            // check_host() does not ask either and finds no address (a void lookup, RFC 7208 §4.6.4).
            return addresses;
        }

        foreach (var family in Families)
        {
            var answer = await resolver.LookupAddressesAsync(name, family, cancellationToken).ConfigureAwait(false);
            if (answer.Status.IsTemporaryFailure())
            {
                failed = true;
                return null;
            }

            addresses.AddRange(answer.Records.Where(r => r.AddressFamily == family));
        }

        return addresses;
    }

    /// <summary>RFC 7208 §5.4: the addresses of the MX hosts; null on a failure or more hosts than receivers look up.</summary>
    private async Task<List<IPAddress>?> MxAddressesAsync(string name)
    {
        var all = new List<IPAddress>();
        if (!DnsName.IsQueryable(name))
        {
            return all;
        }

        var answer = await resolver.LookupMxAsync(name, cancellationToken).ConfigureAwait(false);
        if (answer.Status.IsTemporaryFailure())
        {
            failed = true;
            return null;
        }

        if (answer.Status != DnsStatus.Records)
        {
            return all;
        }

        if (answer.Records.Count > options.MaxMxHosts)
        {
            // RFC 7208 §4.6.4: more MX records than 10 is permerror there; an address list would hide that.
            return null;
        }

        // RFC 7505: a Null MX (exchange ".") names no host.
        foreach (var host in answer.Records.Select(r => r.Exchange).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var addresses = await AddressesAsync(host).ConfigureAwait(false);
            if (addresses is null)
            {
                return null;
            }

            all.AddRange(addresses);
        }

        return all;
    }

    private string Organization(string domain) => PublicSuffixList.OrganizationalDomainOrLastTwoLabels(suffixes, domain);

    private static string Prefix(SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Fail => "-",
        SpfQualifier.SoftFail => "~",
        SpfQualifier.Neutral => "?",
        _ => "",
    };

    private static string Unqualified(string term) => term.Length > 1 && term[0] is '+' or '-' or '~' or '?' ? term[1..] : term;

    private static void AddOnce(List<string> names, string name)
    {
        if (!names.Contains(name, StringComparer.Ordinal))
        {
            names.Add(name);
        }
    }

    /// <summary>What an own include stands for: its pieces in order, and the own includes flattened into them.</summary>
    private sealed record Flattening(IReadOnlyList<Piece> Pieces, IReadOnlyList<string> Names);

    /// <summary>One term of a flattened include, without qualifier: an ip4/ip6 network, or an include kept with its subtree's cost.</summary>
    /// <param name="Text">The term, e.g. "ip4:192.0.2.0/24" or "include:_spf.example.net".</param>
    /// <param name="Network">The network of an ip4/ip6 term, host bits cleared; null for an include.</param>
    /// <param name="Cost">DNS-querying terms the kept include costs with its subtree (RFC 7208 §4.6.4); 0 for a network.</param>
    /// <param name="Include">The kept include's target; null for a network.</param>
    private sealed record Piece(string Text, AddressPrefix? Network, int Cost, string? Include)
    {
        public static Piece ForAddress(IPAddress address, int ip4Length, int ip6Length) =>
            ForNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? ip4Length : ip6Length);

        /// <summary>The network written the short way: host bits cleared, no length for a single host.</summary>
        public static Piece ForNetwork(IPAddress address, int length)
        {
            var bytes = address.GetAddressBytes();
            for (var i = 0; i < bytes.Length; i++)
            {
                var keep = Math.Clamp(length - (i * 8), 0, 8);
                bytes[i] &= (byte)(0xFF << (8 - keep));
            }

            var network = new AddressPrefix(new IPAddress(bytes), length);
            var host = bytes.Length * 8;
            var kind = bytes.Length == 4 ? "ip4:" : "ip6:";
            return new Piece(length == host ? $"{kind}{network.Address}" : $"{kind}{network.Address}/{length}", network, 0, null);
        }
    }
}
