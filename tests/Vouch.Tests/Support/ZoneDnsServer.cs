using System.Buffers.Binary;
using System.Net;
using Vouch.Dns;
using Vouch.Dns.Zones;

namespace Vouch.Tests.Support;

/// <summary>
/// Serves a <see cref="ZoneResolver"/> over UDP on a free loopback port, failures included: an injected
/// timeout sends nothing, a server failure SERVFAIL, no such domain NXDOMAIN. For a process under test that
/// must meet the same zone data as the in-memory suite, TIMEOUT entries too, which no zone file can hold.
/// </summary>
internal static class ZoneDnsServer
{
    public static ScriptedDnsServer Start(ZoneResolver zone) => ScriptedDnsServer.Start(query => Answer(zone, query));

    private static IEnumerable<byte[]> Answer(ZoneResolver zone, byte[] query)
    {
        var name = DnsMessageBuilder.NameOf(query);
        var type = (DnsRecordType)DnsMessageBuilder.TypeOf(query);
        var answer = zone.Lookup(name, type, data => data);
        switch (answer.Status)
        {
            case DnsStatus.Timeout:
                return [];
            case DnsStatus.ServerFailure:
                return [DnsMessageBuilder.ReplyTo(query, rcode: 2).ToArray()];
            case DnsStatus.NoSuchDomain:
                return [DnsMessageBuilder.ReplyTo(query, rcode: 3).ToArray()];
        }

        var records = answer.Records.Select(record => Rdata(type, record)).OfType<byte[]>().ToList();
        var reply = DnsMessageBuilder.ReplyTo(query, answers: (ushort)records.Count);
        foreach (var rdata in records)
        {
            reply.Record([0xC0, 0x0C], (int)type, 60, rdata);
        }

        return [reply.ToArray()];
    }

    private static byte[]? Rdata(DnsRecordType type, object data) => (type, data) switch
    {
        (DnsRecordType.A or DnsRecordType.AAAA, IPAddress address) => address.GetAddressBytes(),
        (DnsRecordType.TXT, TxtRecord txt) => DnsMessageBuilder.Txt([.. txt.Strings]),
        (DnsRecordType.PTR, string target) => DnsMessageBuilder.Name(target),
        (DnsRecordType.MX, MxRecord mx) => [.. Preference(mx.Preference), .. DnsMessageBuilder.Name(mx.Exchange)],
        _ => null,
    };

    private static byte[] Preference(ushort preference)
    {
        var octets = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(octets, preference);
        return octets;
    }
}
