namespace Vouch.Dns.Wire;

/// <summary>
/// One resource record of a reply's answer section, its RDATA decoded for the types the resolver asks
/// for: an <see cref="System.Net.IPAddress"/> (A, AAAA), a <see cref="MxRecord"/>, a <see cref="TxtRecord"/>,
/// a host name (CNAME, PTR) or the <see cref="AplItem"/>s of an APL record (null when malformed).
/// </summary>
/// <param name="Owner">The owner name, lower case without the trailing dot (as <see cref="DnsName.Normalize"/> gives).</param>
/// <param name="Type">The record type; may be one <see cref="DnsRecordType"/> does not name.</param>
/// <param name="TimeToLive">The record's TTL.</param>
/// <param name="Data">The decoded RDATA, or null for another type.</param>
internal readonly record struct DnsReplyRecord(string Owner, DnsRecordType Type, TimeSpan TimeToLive, object? Data);
