using System.Net;
using Vouch.Dns;

namespace Vouch.Registration;

/// <summary>
/// Forward-confirmed reverse DNS: the client's PTR names (at most <see cref="RegistrationOptions.MaxPtrNames"/>),
/// each looked up forward (A or AAAA, as the client's address family); a name whose addresses include the
/// client is confirmed. Thread-safe.
/// </summary>
public sealed class FcrdnsCheck(IDnsResolver resolver, RegistrationOptions? options = null)
{
    private readonly RegistrationOptions options = options ?? new RegistrationOptions();

    /// <summary>Checks <paramref name="client"/>. DNS trouble gives temperror unless a name was confirmed anyway.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<FcrdnsResult> CheckAsync(IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ptr = await resolver.LookupPtrAsync(client, cancellationToken).ConfigureAwait(false);
        if (ptr.Status.IsTemporaryFailure())
        {
            return new FcrdnsResult(FcrdnsResultCode.TempError, [], [], $"PTR lookup for {client} failed: {ptr.Problem ?? ptr.Status.ToToken()}");
        }

        if (ptr.Status != DnsStatus.Records)
        {
            return new FcrdnsResult(FcrdnsResultCode.None, [], [], null);
        }

        var names = new List<string>(Math.Min(ptr.Records.Count, options.MaxPtrNames));
        for (var i = 0; i < ptr.Records.Count && i < options.MaxPtrNames; i++)
        {
            var name = DnsName.Normalize(ptr.Records[i]);
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        // Started together, read in order; ValueTasks (Preserve: an answer already there stays as it is), so that a cache hit costs no Task.
        var lookups = new ValueTask<DnsAnswer<IPAddress>>[names.Count];
        for (var i = 0; i < lookups.Length; i++)
        {
            lookups[i] = resolver.LookupAddressesAsync(names[i], client.AddressFamily, cancellationToken).Preserve();
        }

        var confirmed = new List<string>(1);
        string? problem = null;
        for (var i = 0; i < names.Count; i++)
        {
            var forward = await lookups[i].ConfigureAwait(false);
            if (Contains(forward.Records, client))
            {
                confirmed.Add(names[i]);
            }
            else if (forward.Status.IsTemporaryFailure())
            {
                problem ??= $"address lookup for {names[i]} failed: {forward.Problem ?? forward.Status.ToToken()}";
            }
        }

        var code = confirmed.Count > 0 ? FcrdnsResultCode.Pass : problem is not null ? FcrdnsResultCode.TempError : FcrdnsResultCode.Fail;
        return new FcrdnsResult(code, names, confirmed, code == FcrdnsResultCode.TempError ? problem : null);
    }

    private static bool Contains(IReadOnlyList<IPAddress> addresses, IPAddress client)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (addresses[i].Equals(client))
            {
                return true;
            }
        }

        return false;
    }
}
