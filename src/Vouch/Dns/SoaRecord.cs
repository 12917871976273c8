namespace Vouch.Dns;

/// <summary>The fields of an SOA record (RFC 1035 §3.3.13) that Vouch uses.</summary>
/// <param name="PrimaryServer">MNAME, without a trailing dot.</param>
/// <param name="Mailbox">RNAME, without a trailing dot.</param>
/// <param name="Serial">The zone's serial number.</param>
/// <param name="Minimum">The MINIMUM field: with the SOA's own TTL, the negative-caching TTL (RFC 2308 §5).</param>
public sealed record SoaRecord(string PrimaryServer, string Mailbox, uint Serial, TimeSpan Minimum);
