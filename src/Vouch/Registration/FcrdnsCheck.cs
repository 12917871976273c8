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

        var names = ptr.Records.Take(options.MaxPtrNames).Select(DnsName.Normalize).Distinct(StringComparer.Ordinal).ToArray();
        var lookups = names.Select(name => resolver.LookupAddressesAsync(name, client.AddressFamily, cancellationToken).AsTask()).ToArray();
        var confirmed = new List<string>();
        string? problem = null;
        for (var i = 0; i < names.Length; i++)
        {
            var forward = await lookups[i].ConfigureAwait(false);
            if (forward.Records.Any(client.Equals))
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
}
