using Vouch.Dns.Zones;

namespace Vouch.Tests.Conformance;

/// <summary>One scenario of the RFC 7208 suite, with the zone data of its section.</summary>
internal sealed record SuiteCase(
    string Section,
    string Name,
    string Description,
    string Host,
    string MailFrom,
    string Helo,
    IReadOnlyList<string> Results,
    string? Explanation,
    string Spec,
    ZoneData Zone,
    bool ZoneHasTimeouts);
