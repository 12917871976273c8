namespace Vouch.Audit;

/// <summary>
/// A last-resort proposal for an SPF record that needs too many DNS-querying terms (RFC 7208 §4.6.4): the owner's
/// own includes replaced by the terms they stand for, with a and mx terms resolved to the addresses DNS gives now.
/// Providers' includes stay as they are. The record must be flattened again whenever an own address changes.
/// </summary>
/// <param name="Domain">The audited domain, normalized (lower case, no trailing dot): where <paramref name="After"/> is published.</param>
/// <param name="Before">The domain's SPF record as audited.</param>
/// <param name="After">The proposed record: the root's own terms, all and redirect in their place, each flattened include replaced where it stood.</param>
/// <param name="LookupsBefore">DNS-querying terms the audited tree needs, past the limit too (<see cref="SpfRecordReport.DnsLookups"/>).</param>
/// <param name="LookupsAfter">DNS-querying terms <paramref name="After"/> needs as RFC 7208 §4.6.4 counts them: 1 for each include, a, mx, ptr, exists and reached redirect, plus what each kept include's subtree costs; terms after "all" are not counted.</param>
/// <param name="Flattened">The include targets replaced by their terms, nested own includes too, each once, in the order met.</param>
/// <param name="Kept">The include targets left in <paramref name="After"/> (providers', and own ones that cannot be flattened faithfully), each once, as written (a target with macros keeps its macros).</param>
/// <param name="Bytes">The length of <paramref name="After"/> in octets (RFC 7208 §3.4 advises keeping a record small enough for a 512-octet UDP answer).</param>
public sealed record FlattenedSpf(
    string Domain,
    string Before,
    string After,
    int LookupsBefore,
    int LookupsAfter,
    IReadOnlyList<string> Flattened,
    IReadOnlyList<string> Kept,
    int Bytes);
