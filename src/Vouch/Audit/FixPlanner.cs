using System.Net;
using System.Net.Sockets;
using Vouch.Dns;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Smtp;

namespace Vouch.Audit;

/// <summary>
/// The records that could make the servers that are not white pass, each with its cost: an <c>ip4:</c>/<c>ip6:</c>
/// term at the front of the SPF record of the MAIL FROM domain (F-SPF-IP) or of the HELO name for bounces
/// (F-HELO-SPF) — no lookup added, read first so that no budget-hungry term before it can spend the limit — a
/// low-priority MX host (F-LOW-MX), a name in an outbound-only zone that is its own MX (F-OUT-DOMAIN), an RMX entry
/// (F-RMX), the PTR record to ask the provider for (F-PTR). Only names in the audited domain's organisation are
/// proposed: the owner cannot publish anyone else's records.
/// </summary>
internal static class FixPlanner
{
    /// <summary>The outbound-only zone under the audited domain that F-OUT-DOMAIN names servers in.</summary>
    public const string OutboundZoneLabel = "out";

    private static readonly RuleCondition[] FixableBySpf = [RuleCondition.SpfNone, RuleCondition.SpfSoftFail, RuleCondition.SpfNeutral, RuleCondition.SpfFail, RuleCondition.SpfPermError, RuleCondition.Always];

    /// <summary>
    /// Every candidate fix for <paramref name="report"/>'s rows that are not white, cheapest first. With
    /// <paramref name="flattened"/> (the domain's record is over the limit), the domain's F-SPF-IP is built on the
    /// flattened record, so that publishing it mends the limit too.
    /// </summary>
    public static async Task<List<AuditFix>> CandidatesAsync(AuditReport report, IDnsResolver resolver, PublicSuffixList suffixes, FlattenedSpf? flattened, CancellationToken cancellationToken)
    {
        var organisation = suffixes.GetOrganizationalDomain(report.Domain);
        var candidates = await SpfCandidatesAsync(report, resolver, name => suffixes.GetOrganizationalDomain(name) == organisation, flattened, cancellationToken).ConfigureAwait(false);
        candidates.AddRange(RegistrationCandidates(report));
        return [.. candidates.OrderBy(c => c.Cost.Rank)];
    }

    /// <summary>F-FLATTEN: the domain's record with its own includes replaced by what they name.</summary>
    public static AuditFix Flatten(AuditReport report, FlattenedSpf flattened) =>
        new("F-FLATTEN", flattened.Domain, [.. report.Servers.Select(s => s.Address)], [Txt(flattened.Domain, flattened.After)],
            $"its own includes ({string.Join(", ", flattened.Flattened)}) replaced by the addresses they name: SPF lookups {flattened.LookupsBefore} -> {flattened.LookupsAfter} (RFC 7208 section 4.6.4)",
            new FixCost(1, flattened.LookupsAfter - flattened.LookupsBefore, flattened.After.Length - flattened.Before.Length, Upkeep: true))
        {
            Before = flattened.Before,
            SideEffects = $"the last resort: when the hosts of {string.Join(", ", flattened.Flattened)} change, this record must be redone (run vouch audit again); providers' includes are kept{(flattened.Kept.Count > 0 ? ": " + string.Join(", ", flattened.Kept) : "")}",
        };

    private static async Task<List<AuditFix>> SpfCandidatesAsync(AuditReport report, IDnsResolver resolver, Func<string, bool> owned, FlattenedSpf? flattened, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, (string Id, List<IPAddress> Addresses, string Why)>(StringComparer.Ordinal);
        foreach (var row in report.Rows.Where(r => r.Outcome.Decision.Verdict != Verdict.White && FixableBySpf.Contains(r.Outcome.Decision.Rule.When)))
        {
            var bounce = row.MailFrom.Length == 0;
            if (bounce && row.Outcome.Request.Helo.Kind != HeloNameKind.Domain)
            {
                continue;
            }

            var name = (bounce ? row.Outcome.Request.Helo.Text : row.Outcome.Evidence.MailFromSpf.Domain).TrimEnd('.').ToLowerInvariant();
            if (!DnsName.IsValidMultiLabel(name) || !owned(name))
            {
                continue;
            }

            if (!wanted.TryGetValue(name, out var entry))
            {
                entry = bounce
                    ? ("F-HELO-SPF", [], $"bounces from these servers are judged by their HELO name {name} (RFC 7208 section 2.4)")
                    : ("F-SPF-IP", [], $"these servers send as {row.MailFrom}: its domain's SPF lists them first, before any term that costs a lookup");
                wanted[name] = entry;
            }

            if (!entry.Addresses.Contains(row.Address))
            {
                entry.Addresses.Add(row.Address);
            }
        }

        var fixes = new List<AuditFix>();
        foreach (var (name, (id, addresses, why)) in wanted)
        {
            var txt = await resolver.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
            if (txt.Status.IsTemporaryFailure())
            {
                continue;
            }

            var records = txt.Records.Select(r => r.Text).Where(AuditFix.IsSpf).ToList();
            if (records.Count > 1)
            {
                continue;
            }

            var before = records.Count == 1 ? records[0] : null;
            var flatten = flattened is not null && before is not null && name == flattened.Domain;
            var basis = flatten ? flattened!.After : before;
            var terms = string.Join(' ', addresses.Select(a => (a.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + a));
            var after = basis is null ? $"v=spf1 {terms} -all" : $"v=spf1 {terms}{basis[6..]}";
            // Built on the flattened record, which is chosen anyway: it costs what it adds to that.
            var cost = new FixCost(1, 0, after.Length - (basis?.Length ?? 0));
            fixes.Add(new AuditFix(id, name, addresses, [Txt(name, after)], flatten ? $"{why}; and its own includes flattened, as the record is over the limit: SPF lookups {flattened!.LookupsBefore} -> {flattened.LookupsAfter}" : why, cost)
            {
                Before = before,
                Supersedes = flatten ? "F-FLATTEN" : null,
                SideEffects = flatten ? $"the flattened part must be redone whenever the hosts of {string.Join(", ", flattened!.Flattened)} change" : null,
            });
        }

        return fixes;
    }

    /// <summary>
    /// The other ways to register each server that is not white: as a low-priority MX host of the domain (a name
    /// in the domain for it: its confirmed PTR name there, or out1, out2, …), named in the outbound-only zone, an RMX
    /// entry, and its PTR record.
    /// </summary>
    private static List<AuditFix> RegistrationCandidates(AuditReport report)
    {
        var domain = report.Domain;
        var fixes = new List<AuditFix>();
        var number = 0;
        foreach (var server in report.Servers.Where(s => report.Rows.Any(r => r.Address.Equals(s.Address) && r.Outcome.Decision.Verdict != Verdict.White)))
        {
            var address = server.Address;
            var confirmed = report.Rows.First(r => r.Address.Equals(address)).Outcome.Evidence.Fcrdns.ConfirmedNames;
            var host = confirmed.FirstOrDefault(name => DnsName.IsSubdomainOrSelf(name, domain) && !DnsName.IsSubdomainOrSelf(name, $"{OutboundZoneLabel}.{domain}"))
                ?? $"out{++number}.{domain}";
            var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
            var addressRecord = new ResourceRecord(host, type, ZoneLine.Ttl, address);
            var mx = new MxRecord(90, host);
            fixes.Add(new AuditFix("F-LOW-MX", domain, [address], [new ResourceRecord(domain, DnsRecordType.MX, ZoneLine.Ttl, mx), addressRecord],
                $"{host} is listed as an MX host of {domain} with the lowest priority, so {domain} vouches for it",
                new FixCost(2, 0, host.Length * 2 + 20, VouchOnly: true))
            {
                SideEffects = $"senders try {host} for inbound mail when your other MX hosts are down: it must accept or relay that mail (RFC 5321 section 5.1); it registers mail from {domain} and bounces from a HELO name in {domain}",
            });

            var outbound = $"{host[..host.IndexOf('.', StringComparison.Ordinal)]}.{OutboundZoneLabel}.{domain}";
            var spf = $"v=spf1 {(type == DnsRecordType.AAAA ? "ip6" : "ip4")}:{address} -all";
            fixes.Add(new AuditFix("F-OUT-DOMAIN", outbound, [address],
                [new ResourceRecord(outbound, DnsRecordType.MX, ZoneLine.Ttl, new MxRecord(10, outbound)), new ResourceRecord(outbound, type, ZoneLine.Ttl, address), Txt(outbound, spf)],
                $"{outbound}, in a zone only outbound servers are named in, is its own MX host: the server registers by its HELO name whatever MAIL FROM it carries",
                new FixCost(3, 0, outbound.Length * 2 + spf.Length + 20, ServerChange: true))
            {
                HeloName = outbound,
                SideEffects = $"the server must greet with HELO {outbound} (Postfix: smtp_helo_name = {outbound}); mail addressed to @{outbound} would go to it; receivers that check only SPF see the bounce's HELO pass, not mail from {domain}",
            });

            var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
            var rmx = $"_rmx.{domain}";
            fixes.Add(new AuditFix("F-RMX", rmx, [address], [Txt(rmx, $"{family}:{address}")],
                $"the RMX records of {domain} authorise {address} (draft-danisch-dns-rr-smtp-03 section 5.3)",
                new FixCost(1, 0, family.Length + address.ToString().Length + 1, VouchOnly: true))
            {
                SideEffects = "read only by receivers that check RMX (draft-danisch-dns-rr-smtp-03), Vouch among them; publish the SPF fix as well",
            });

            if (confirmed.Count == 0)
            {
                var reverse = DnsName.ReverseName(address);
                fixes.Add(new AuditFix("F-PTR", domain, [address], [new ResourceRecord(reverse, DnsRecordType.PTR, ZoneLine.Ttl, host), addressRecord],
                    $"{address} gets the name {host}, which resolves back to it (forward-confirmed, RFC 8601 section 3)",
                    new FixCost(2, 0, host.Length * 2 + 20, ProviderMustAct: true))
                {
                    SideEffects = "only the address's provider can publish the PTR record (send it the first line); it registers nothing by itself, but with the low-priority MX the server registers through its name whatever its HELO, and receivers that require iprev (RFC 8601) want it",
                });
            }
        }

        return fixes;
    }

    private static ResourceRecord Txt(string name, string text) => new(name, DnsRecordType.TXT, ZoneLine.Ttl, new TxtRecord(AuditFix.TxtStrings(text)));
}
