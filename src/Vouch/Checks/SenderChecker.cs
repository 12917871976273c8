using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>Runs the checks for a request. Thread-safe: one instance serves every request of a process.</summary>
public sealed class SenderChecker
{
    private readonly SpfChecker spf;

    /// <summary>Creates the checker over an SPF engine.</summary>
    public SenderChecker(SpfChecker spf)
    {
        this.spf = spf ?? throw new ArgumentNullException(nameof(spf));
    }

    /// <summary>Checks SPF for the MAIL FROM and the HELO identities; the two run together.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mailFrom = spf.CheckMailFromAsync(request.Client, request.Sender, request.Helo, cancellationToken);
        var helo = spf.CheckHeloAsync(request.Client, request.Helo, cancellationToken);
        return new CheckOutcome(request, await mailFrom.ConfigureAwait(false), await helo.ConfigureAwait(false));
    }
}
