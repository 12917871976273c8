using System.Net;
using System.Net.Sockets;
using Vouch.Dns;

namespace Vouch.Tests.Support;

/// <summary>
/// A resolver whose TXT answers the test sets per name, counting the questions it gets; an answer can be
/// held back until the test releases it, to keep a query in flight.
/// </summary>
internal sealed class ScriptedResolver : IDnsResolver
{
    private readonly Dictionary<string, DnsAnswer<TxtRecord>> answers = [];
    private TaskCompletionSource? gate;
    private int queries;

    public int Queries => Volatile.Read(ref queries);

    public ScriptedResolver Answer(string name, DnsAnswer<TxtRecord> answer)
    {
        answers[name] = answer;
        return this;
    }

    /// <summary>From now on, answers wait until <see cref="Release"/>.</summary>
    public void Hold() => gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => gate?.TrySetResult();

    public async ValueTask<DnsAnswer<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        if (gate is { } held)
        {
            await held.Task;
        }

        return answers.TryGetValue(name, out var answer) ? answer : DnsAnswer<TxtRecord>.Empty(DnsStatus.NoSuchDomain, TimeSpan.FromSeconds(30));
    }

    public ValueTask<DnsAnswer<IPAddress>> LookupAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        throw new NotSupportedException("only TXT is scripted");

    public ValueTask<DnsAnswer<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        throw new NotSupportedException("only TXT is scripted");

    public ValueTask<DnsAnswer<AplItem>> LookupAplAsync(string name, CancellationToken cancellationToken) =>
        throw new NotSupportedException("only TXT is scripted");

    public ValueTask<DnsAnswer<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        throw new NotSupportedException("only TXT is scripted");
}
