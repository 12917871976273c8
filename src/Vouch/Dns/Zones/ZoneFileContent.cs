namespace Vouch.Dns.Zones;

/// <summary>What a zone file holds: its records, and the origins it declared (for authority).</summary>
/// <param name="Records">The records, names lower case and absolute, without trailing dots.</param>
/// <param name="Origins">The $ORIGIN values used and the owners of SOA records, normalized.</param>
public sealed record ZoneFileContent(IReadOnlyList<ResourceRecord> Records, IReadOnlyList<string> Origins);
