using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Lists;

/// <summary>
/// Simulates a resolver that rewrites NXDOMAIN (as some ISPs' do, to show an advertising page): every A
/// question gets the same address, by default 127.0.0.2. Every other question answers NXDOMAIN.
/// </summary>
internal sealed class RewritingResolver(string answerAddress = "127.0.0.2") : IDnsResolver
{
    private readonly IPAddress answer = IPAddress.Parse(answerAddress);

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        ValueTask.FromResult(family == AddressFamily.InterNetwork
            ? DnsAnswer<IPAddress>.FromRecords([answer], TimeSpan.FromMinutes(1))
            : DnsAnswer<IPAddress>.Empty(DnsStatus.NoSuchDomain, TimeSpan.FromMinutes(1)));

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DnsAnswer<TxtRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.FromMinutes(1)));

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DnsAnswer<MxRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.FromMinutes(1)));

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DnsAnswer<AplItem>.Empty(DnsStatus.NoData, TimeSpan.Zero));

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DnsAnswer<string>.Empty(DnsStatus.NoSuchDomain, TimeSpan.FromMinutes(1)));
}
