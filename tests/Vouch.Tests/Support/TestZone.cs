using System.Net;
using Vouch.Dns;
using Vouch.Dns.Zones;

namespace Vouch.Tests.Support;

/// <summary>Builds zone data in code for tests: one call per record, failures injected by name.</summary>
internal sealed class TestZone
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    public ZoneData Data { get; } = new();

    public TestZone Txt(string name, params string[] strings)
    {
        Data.Add(new ResourceRecord(name, DnsRecordType.TXT, Ttl, new TxtRecord(strings)));
        return this;
    }

    public TestZone A(string name, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            var parsed = IPAddress.Parse(address);
            Data.Add(new ResourceRecord(name, parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.AAAA, Ttl, parsed));
        }

        return this;
    }

    public TestZone Mx(string name, ushort preference, string exchange)
    {
        Data.Add(new ResourceRecord(name, DnsRecordType.MX, Ttl, new MxRecord(preference, DnsName.Normalize(exchange))));
        return this;
    }

    public TestZone Ptr(string address, string name)
    {
        Data.Add(new ResourceRecord(DnsName.ReverseName(IPAddress.Parse(address)), DnsRecordType.PTR, Ttl, DnsName.Normalize(name)));
        return this;
    }

    public TestZone Cname(string name, string target)
    {
        Data.Add(new ResourceRecord(name, DnsRecordType.CNAME, Ttl, DnsName.Normalize(target)));
        return this;
    }

    public TestZone Fail(string name, DnsStatus status, DnsRecordType? type = null)
    {
        Data.InjectFailure(name, status, type);
        return this;
    }

    public ZoneResolver Resolver() => new(Data);
}
