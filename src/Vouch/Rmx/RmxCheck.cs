using System.Net;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Registration;
using Vouch.Smtp;

namespace Vouch.Rmx;

/// <summary>
/// RMX, "reverse MX" (draft-danisch-dns-rr-smtp-03), in its TXT encoding (§7.1): the TXT records at
/// _rmx.&lt;domain&gt; of the MAIL FROM domain, or of the HELO name for an empty sender (§4.3). Records are
/// concatenated in DNS order; entries within a record keep their order; the first entry that matches
/// decides (§5.1). Thread-safe.
/// </summary>
/// <param name="resolver">Where DNS questions go.</param>
/// <param name="options">Settings; null means the defaults.</param>
/// <param name="collectSteps">Whether results carry <see cref="RmxResult.Steps"/> (for <c>vouch explain</c>); off, no step text is made.</param>
public sealed class RmxCheck(IDnsResolver resolver, RmxOptions? options = null, bool collectSteps = true)
{
    private readonly RmxOptions options = options ?? new RmxOptions();

    /// <summary>Checks whether the RMX records of the sender's domain authorise <paramref name="client"/>.</summary>
    /// <param name="client">The client's address.</param>
    /// <param name="sender">The MAIL FROM address as read; the null path (a bounce) uses the HELO name.</param>
    /// <param name="helo">The HELO name as read.</param>
    /// <param name="fcrdns">Starts the FCrDNS check, or returns it running: only "domain:" entries ask for its confirmed names.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<RmxResult> CheckAsync(IPAddress client, ReversePath sender, HeloName helo, Func<Task<FcrdnsResult>> fcrdns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(helo);
        ArgumentNullException.ThrowIfNull(fcrdns);
        var steps = collectSteps ? new List<string>() : null;
        var domain = sender.IsNull ? helo.DomainName : sender.DomainName;
        if (domain is null || !DnsName.IsValidMultiLabel(domain))
        {
            var given = sender.IsNull ? $"the HELO name '{helo.Text}'" : $"the sender's domain '{sender.Domain}'";
            return new RmxResult(RmxResultCode.NoRmx, "", null, null, [$"{given} is not a domain: nothing to look up"]);
        }

        var answer = await resolver.LookupTxtAsync("_rmx." + domain, cancellationToken).ConfigureAwait(false);
        steps?.Add($"TXT _rmx.{domain}: {(answer.Status == DnsStatus.Records ? string.Join(" | ", answer.Records.Select(r => r.Text)) : answer.Status.ToToken())}");
        if (answer.Status.IsTemporaryFailure())
        {
            return new RmxResult(RmxResultCode.TempFail, domain, null, $"TXT lookup for _rmx.{domain} failed: {answer.Problem ?? answer.Status.ToToken()}", Steps(steps));
        }

        if (answer.Status != DnsStatus.Records)
        {
            return new RmxResult(RmxResultCode.NoRmx, domain, null, null, Steps(steps));
        }

        // Parse every record before evaluating any entry: bad data anywhere is BadData.
        var entries = new List<RmxEntry>();
        foreach (var record in answer.Records)
        {
            if (!RmxRecordParser.TryParse(record.Text, out var parsed, out var problem))
            {
                return new RmxResult(RmxResultCode.BadData, domain, null, problem, Steps(steps));
            }

            entries.AddRange(parsed!);
        }

        if (entries.Count == 0)
        {
            return new RmxResult(RmxResultCode.NoRmx, domain, null, null, Steps(steps));
        }

        var dnsEntries = 0;
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.QueriesDns && ++dnsEntries > options.MaxDnsEntries)
            {
                return new RmxResult(RmxResultCode.BadData, domain, entry.Text, $"more than {options.MaxDnsEntries} DNS-querying entries", Steps(steps));
            }

            var (match, note) = await MatchAsync(entry, client, domain, fcrdns, cancellationToken).ConfigureAwait(false);
            steps?.Add($"{entry.Text}: {note}");
            if (match is null)
            {
                return new RmxResult(RmxResultCode.TempFail, domain, entry.Text, note, Steps(steps));
            }

            if (match == true)
            {
                var denied = entry.Negated || entry.Type == RmxEntryType.Unused;
                return new RmxResult(denied ? RmxResultCode.Denied : RmxResultCode.Granted, domain, entry.Text, null, Steps(steps));
            }
        }

        return new RmxResult(RmxResultCode.NotInRmx, domain, null, null, Steps(steps));
    }

    private static IReadOnlyList<string> Steps(List<string>? steps) => steps is null ? Array.Empty<string>() : steps;

    /// <summary>Whether an entry matches the client: true, false, or null for a DNS failure (TempFail).</summary>
    private async Task<(bool? Match, string Note)> MatchAsync(RmxEntry entry, IPAddress client, string domain, Func<Task<FcrdnsResult>> fcrdns, CancellationToken cancellationToken)
    {
        switch (entry.Type)
        {
            case RmxEntryType.Unused:
                return (true, "this domain is never used as a sender");
            case RmxEntryType.Full:
                return (false, "skipped: full-address queries are not supported (the draft leaves their mapping undefined, §5.7)");
            case RmxEntryType.IPv4:
            case RmxEntryType.IPv6:
                var inNetwork = entry.Network!.Value.Contains(client);
                return (inNetwork, inNetwork ? $"{client} is in {entry.Network}" : "no match");
            case RmxEntryType.Host:
                var host = DnsName.Normalize(entry.Data);
                var addresses = await resolver.LookupAddressesAsync(host, client.AddressFamily, cancellationToken).ConfigureAwait(false);
                return addresses.Status.IsTemporaryFailure()
                    ? (null, $"address lookup for {host} failed: {addresses.Problem ?? addresses.Status.ToToken()}")
                    : addresses.Records.Any(client.Equals) ? (true, $"{host} has {client}") : (false, $"{client} is not an address of {host}");
            case RmxEntryType.Apl:
                return await MatchAplAsync(DnsName.Normalize(entry.Data), client, cancellationToken).ConfigureAwait(false);
            case RmxEntryType.Domain:
                var within = entry.Data.Length == 0 ? domain : DnsName.Normalize(entry.Data);
                var reverse = await fcrdns().ConfigureAwait(false);
                var name = reverse.ConfirmedNames.FirstOrDefault(n => DnsName.IsSubdomainOrSelf(n, within));
                return name is not null ? (true, $"confirmed PTR name {name} is in {within}")
                    : reverse.Code == FcrdnsResultCode.TempError ? (null, $"reverse DNS failed: {reverse.Problem}")
                    : (false, reverse.ConfirmedNames.Count == 0 ? "no forward-confirmed PTR name" : $"no confirmed PTR name in {within}");
            default:
                return await MatchMxAsync(domain, client, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An APL record (RFC 3123): the client must be in a positive item and in no negated one.</summary>
    private async Task<(bool? Match, string Note)> MatchAplAsync(string name, IPAddress client, CancellationToken cancellationToken)
    {
        var apl = await resolver.LookupAplAsync(name, cancellationToken).ConfigureAwait(false);
        if (apl.Status.IsTemporaryFailure())
        {
            return (null, $"APL lookup for {name} failed: {apl.Problem ?? apl.Status.ToToken()}");
        }

        var excluded = apl.Records.FirstOrDefault(i => i.Negated && i.Prefix.Contains(client));
        if (excluded is not null)
        {
            return (false, $"{client} is excluded by {excluded} in the APL of {name}");
        }

        var included = apl.Records.FirstOrDefault(i => !i.Negated && i.Prefix.Contains(client));
        return included is not null
            ? (true, $"{client} is in {included} in the APL of {name}")
            : (false, apl.Status == DnsStatus.Records ? $"{client} is not in the APL of {name}" : $"{name} has no APL record ({apl.Status.ToToken()})");
    }

    /// <summary>§5.9 "RMX reference": the hosts the domain's MX records name are authorised.</summary>
    private async Task<(bool? Match, string Note)> MatchMxAsync(string domain, IPAddress client, CancellationToken cancellationToken)
    {
        var mx = await resolver.LookupMxAsync(domain, cancellationToken).ConfigureAwait(false);
        if (mx.Status.IsTemporaryFailure())
        {
            return (null, $"MX lookup for {domain} failed: {mx.Problem ?? mx.Status.ToToken()}");
        }

        var hosts = mx.Records.Where(r => r.Exchange.Length > 0).OrderBy(r => r.Preference).Take(options.MaxMxHosts).ToArray();
        var lookups = hosts.Select(h => resolver.LookupAddressesAsync(h.Exchange, client.AddressFamily, cancellationToken).AsTask()).ToArray();
        string? failure = null;
        for (var i = 0; i < hosts.Length; i++)
        {
            var addresses = await lookups[i].ConfigureAwait(false);
            if (addresses.Records.Any(client.Equals))
            {
                return (true, $"{client} is MX host {hosts[i].Exchange} of {domain}");
            }

            if (addresses.Status.IsTemporaryFailure())
            {
                failure ??= $"address lookup for MX host {hosts[i].Exchange} failed";
            }
        }

        return failure is not null ? (null, failure) : (false, $"{client} is not among the {hosts.Length} MX host(s) of {domain}");
    }
}
