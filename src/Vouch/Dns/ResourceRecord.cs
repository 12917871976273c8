namespace Vouch.Dns;

/// <summary>
/// One resource record of zone data. <see cref="Data"/> holds the typed RDATA:
/// <see cref="System.Net.IPAddress"/> for A and AAAA, <see cref="MxRecord"/> for MX,
/// <see cref="TxtRecord"/> for TXT and SPF, <see cref="SoaRecord"/> for SOA, and a host name
/// (lower case, no trailing dot) for PTR, CNAME and NS.
/// </summary>
/// <param name="Name">The owner name, lower case, without a trailing dot ("" for the root).</param>
/// <param name="Type">The record type.</param>
/// <param name="TimeToLive">The record's TTL.</param>
/// <param name="Data">The typed RDATA, as described above.</param>
public sealed record ResourceRecord(string Name, DnsRecordType Type, TimeSpan TimeToLive, object Data);
