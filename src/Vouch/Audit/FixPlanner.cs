using System.Net;
using System.Net.Sockets;
using Vouch.Dns;
using Vouch.Policy;
using Vouch.Smtp;

namespace Vouch.Audit;

/// <summary>
/// The cheapest records that make the audited servers pass: an <c>ip4:</c>/<c>ip6:</c> term at the front of the SPF
/// record of the MAIL FROM domain (F-SPF-IP), and of the HELO name for bounces (F-HELO-SPF) — no DNS lookup added,
/// one record changed per name, read first so that no budget-hungry term before it can spend the limit. A record
/// that is broken (permerror, several records) or a server without a name is left to the findings.
/// </summary>
internal static class FixPlanner
{
    private static readonly RuleCondition[] FixableBySpf = [RuleCondition.SpfNone, RuleCondition.SpfSoftFail, RuleCondition.SpfNeutral, RuleCondition.SpfFail, RuleCondition.Always];

    /// <summary>The fixes for <paramref name="report"/>'s servers that are not white.</summary>
    public static async Task<IReadOnlyList<AuditFix>> PlanAsync(AuditReport report, IDnsResolver resolver, CancellationToken cancellationToken)
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
            if (!DnsName.IsValidMultiLabel(name))
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

            var records = txt.Records.Select(r => r.Text).Where(IsSpf).ToList();
            if (records.Count > 1)
            {
                continue;
            }

            var before = records.Count == 1 ? records[0] : null;
            var terms = string.Join(' ', addresses.Select(a => (a.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + a));
            var after = before is null ? $"v=spf1 {terms} -all" : $"v=spf1 {terms}{before[6..]}";
            fixes.Add(new AuditFix(id, name, before, after, addresses, why));
        }

        return fixes;
    }

    /// <summary>The TXT record set of each name the fixes change: its other TXT records kept, its SPF record replaced.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<TxtRecord>>> RecordSetsAsync(IReadOnlyList<AuditFix> fixes, IDnsResolver resolver, CancellationToken cancellationToken)
    {
        var sets = new Dictionary<string, IReadOnlyList<TxtRecord>>(StringComparer.Ordinal);
        foreach (var fix in fixes)
        {
            var txt = await resolver.LookupTxtAsync(fix.Name, cancellationToken).ConfigureAwait(false);
            sets[fix.Name] = [.. txt.Records.Where(r => !IsSpf(r.Text)), new TxtRecord(AuditFix.TxtStrings(fix.After))];
        }

        return sets;
    }

    /// <summary>
    /// The other ways to register each server that is not white: as a low-priority MX host of the domain (a name
    /// in the domain for it: its confirmed PTR name there, or out1, out2, …), an RMX entry, and its PTR record.
    /// </summary>
    public static IReadOnlyList<AuditAlternative> Alternatives(AuditReport report)
    {
        var alternatives = new List<AuditAlternative>();
        var number = 0;
        foreach (var server in report.Servers.Where(s => report.Rows.Any(r => r.Address.Equals(s.Address) && r.Outcome.Decision.Verdict != Verdict.White)))
        {
            var confirmed = report.Rows.First(r => r.Address.Equals(server.Address)).Outcome.Evidence.Fcrdns.ConfirmedNames;
            var host = confirmed.FirstOrDefault(name => DnsName.IsSubdomainOrSelf(name, report.Domain)) ?? $"out{++number}.{report.Domain}";
            var type = server.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A";
            var family = server.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
            alternatives.Add(new AuditAlternative("F-LOW-MX", server.Address,
                [$"$ORIGIN {report.Domain}.", $"@ 3600 IN MX 90 {host}.", $"{host}. 3600 IN {type} {server.Address}"],
                "1 MX record (and the host's address record), 0 SPF lookups",
                $"senders try {host} for inbound mail when your other MX hosts are down: it must accept or relay that mail (RFC 5321 section 5.1); it registers mail from {report.Domain} and bounces from a HELO name in {report.Domain}"));
            alternatives.Add(new AuditAlternative("F-RMX", server.Address,
                [$"$ORIGIN _rmx.{report.Domain}.", $"@ 3600 IN TXT \"{family}:{server.Address}\""],
                "1 TXT record, 0 SPF lookups",
                "read only by receivers that check RMX (draft-danisch-dns-rr-smtp-03), Vouch among them; publish the SPF fix as well"));
            if (confirmed.Count == 0)
            {
                alternatives.Add(new AuditAlternative("F-PTR", server.Address,
                    [$"{DnsName.ReverseName(server.Address)}. 3600 IN PTR {host}.", $"{host}. 3600 IN {type} {server.Address}"],
                    "1 PTR record at the address's provider, 1 address record",
                    "only the address's provider can publish the PTR record (send it the first line); it registers nothing by itself, but with the low-priority MX the server registers through its name whatever its HELO, and receivers that require iprev (RFC 8601) want it"));
            }
        }

        return alternatives;
    }

    // RFC 7208 §4.5: "v=spf1" exactly, then a space or the end.
    private static bool IsSpf(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');
}
