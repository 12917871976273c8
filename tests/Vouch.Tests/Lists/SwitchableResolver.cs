using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Lists;

/// <summary>
/// Passes questions to <see cref="Inner"/>, which a test may swap to make a list break or recover, and records
/// every address question asked.
/// </summary>
internal sealed class SwitchableResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly ConcurrentQueue<string> addressQuestions = new();
    private volatile IDnsResolver current = inner;

    public IDnsResolver Inner
    {
        get => current;
        set => current = value;
    }

    /// <summary>The names asked for A or AAAA records, in order.</summary>
    public IReadOnlyList<string> AddressQuestions => [.. addressQuestions];

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        addressQuestions.Enqueue(name);
        return current.LookupAddressesAsync(name, family, cancellationToken);
    }

    public ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        current.LookupTxtAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        current.LookupMxAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        current.LookupAplAsync(name, cancellationToken);

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        current.LookupPtrAsync(address, cancellationToken);
}
