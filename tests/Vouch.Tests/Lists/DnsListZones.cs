using Vouch.Dns.Zones;
using Vouch.Lists;
using Vouch.Policy;

namespace Vouch.Tests.Lists;

/// <summary>Zone data for a DNSBL ("zen", dnsbl.example) and an RHSBL ("dbl", dbl.example) that pass their RFC 5782 §5 self-tests.</summary>
internal static class DnsListZones
{
    public const string Dnsbl = """
        $ORIGIN dnsbl.example.
        $TTL 300
        @                 SOA  ns hostmaster 1 3600 600 86400 60
        ; RFC 5782 §5 test points: 127.0.0.2 listed, 127.0.0.1 not.
        2.0.0.127         A    127.0.0.2
        2.0.0.127         TXT  "test point"
        ; 203.0.113.7 is listed, with a reason.
        7.113.0.203       A    127.0.0.2
        7.113.0.203       A    127.0.0.4
        7.113.0.203       TXT  "Listed for spam, see https://dnsbl.example/q?203.0.113.7"
        ; 203.0.113.9: the list refuses the query (a public resolver, over quota).
        9.113.0.203       A    127.255.255.254
        ; 203.0.113.11: an answer outside both ranges.
        11.113.0.203      A    192.0.2.99
        ; 2001:db8::1 is listed (RFC 5782 §2.4 nibbles).
        1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 A 127.0.0.3
        """;

    public const string Rhsbl = """
        $ORIGIN dbl.example.
        $TTL 300
        @                 SOA  ns hostmaster 1 3600 600 86400 60
        ; RFC 5782 §5 test points: "test" listed, "invalid" not.
        test              A    127.0.1.2
        spammer.example   A    127.0.1.2
        spammer.example   TXT  "spam domain"
        """;

    public static DnsListDefinition Zen { get; } = new(
        "zen", "dnsbl.example", DnsListKind.Address, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

    public static DnsListDefinition Dbl { get; } = new(
        "dbl", "dbl.example", DnsListKind.Domain, DnsListDefinition.DefaultListedAnswers, DnsListDefinition.DefaultErrorAnswers);

    public static ZoneData Data(Action<ZoneData>? arrange = null)
    {
        var data = new ZoneData();
        data.LoadText(Dnsbl, "dnsbl.zone");
        data.LoadText(Rhsbl, "dbl.zone");
        arrange?.Invoke(data);
        return data;
    }

    public static ZoneResolver Resolver(Action<ZoneData>? arrange = null) => new(Data(arrange));

    public static ListOptions Options(params DnsListDefinition[] lists) =>
        new() { DnsLists = lists.Length == 0 ? [Zen, Dbl] : lists, SelfTestInterval = TimeSpan.FromMinutes(15) };
}
