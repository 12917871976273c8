using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>
/// A DNS of random but repeatable answers: for each (name, type) it picks, from its seed, any status and
/// records drawn from the given pools. Used by property tests to throw hostile DNS at the engine.
/// </summary>
internal sealed class ChaosResolver(int seed, IReadOnlyList<string> txtPool) : IDnsResolver
{
    private static readonly string[] Hosts = ["example.com", "mail.example.com", "a.example.net", "", "x.y.z.example.org", "localhost", "ümlaut.example", new string('a', 70) + ".example"];

    private static readonly IPAddress[] Addresses =
        [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2"), IPAddress.Parse("198.51.100.1"), IPAddress.Parse("2001:db8::1"), IPAddress.Parse("::ffff:192.0.2.1"), IPAddress.Parse("0.0.0.0")];

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Answer(name, DnsRecordType.TXT, random =>
        {
            var strings = new string[random.Next(0, 3)];
            for (var i = 0; i < strings.Length; i++)
            {
                var text = txtPool[random.Next(txtPool.Count)];
                strings[i] = i == 0 ? text : text[..random.Next(text.Length + 1)];
            }

            return new TxtRecord(strings);
        }));

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Answer(name, family == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.AAAA, random => Addresses[random.Next(Addresses.Length)]));

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Answer(name, DnsRecordType.MX, random => new MxRecord((ushort)random.Next(0, 3), Hosts[random.Next(Hosts.Length)])));

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Answer(name, DnsRecordType.APL, random => new AplItem(random.Next(2) == 0, new Vouch.Network.AddressPrefix(Addresses[random.Next(Addresses.Length)].IsIPv4MappedToIPv6 ? IPAddress.Parse("192.0.2.0") : Addresses[random.Next(Addresses.Length)], 0))));

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Answer(DnsName.ReverseName(address), DnsRecordType.PTR, random => Hosts[random.Next(Hosts.Length)]));

    private DnsAnswer<T> Answer<T>(string name, DnsRecordType type, Func<Random, T> make)
    {
        var random = new Random(seed ^ StableHash(name) ^ (int)type);
        var roll = random.Next(10);
        if (roll < 5)
        {
            var records = new T[random.Next(1, 13)];
            for (var i = 0; i < records.Length; i++)
            {
                records[i] = make(random);
            }

            return DnsAnswer<T>.FromRecords(records, TimeSpan.FromSeconds(random.Next(0, 100)));
        }

        var status = roll switch
        {
            5 or 6 => DnsStatus.NoSuchDomain,
            7 => DnsStatus.NoData,
            8 => DnsStatus.ServerFailure,
            _ => DnsStatus.Timeout,
        };
        return DnsAnswer<T>.Empty(status, TimeSpan.Zero, "chaos");
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}
