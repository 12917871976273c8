namespace Vouch.Registration;

/// <summary>One domain the registration check tried, in order, with what it found.</summary>
public sealed class RegistrationCandidate
{
    private readonly MxHostsSeen? hostsSeen;
    private string? detail;

    /// <summary>A candidate whose detail is given as text.</summary>
    /// <param name="domain">The domain tried.</param>
    /// <param name="via">How the client presented it.</param>
    /// <param name="isOrganizationalDomain">True when this is the organisational domain of a presented name, not the name itself.</param>
    /// <param name="outcome">What trying it gave.</param>
    /// <param name="detail">The MX hosts and addresses seen, or the failure, in a few words.</param>
    public RegistrationCandidate(string domain, RegistrationRoute via, bool isOrganizationalDomain, CandidateOutcome outcome, string detail)
    {
        Domain = domain;
        Via = via;
        IsOrganizationalDomain = isOrganizationalDomain;
        Outcome = outcome;
        this.detail = detail ?? throw new ArgumentNullException(nameof(detail));
    }

    /// <summary>A candidate whose MX hosts were looked up: the detail is made from what was seen when it is read.</summary>
    internal RegistrationCandidate(string domain, RegistrationRoute via, bool isOrganizationalDomain, MxHostsSeen hostsSeen)
    {
        Domain = domain;
        Via = via;
        IsOrganizationalDomain = isOrganizationalDomain;
        Outcome = hostsSeen.Ending;
        this.hostsSeen = hostsSeen;
    }

    /// <summary>The domain tried.</summary>
    public string Domain { get; }

    /// <summary>How the client presented it.</summary>
    public RegistrationRoute Via { get; }

    /// <summary>True when this is the organisational domain of a presented name, not the name itself.</summary>
    public bool IsOrganizationalDomain { get; }

    /// <summary>What trying it gave.</summary>
    public CandidateOutcome Outcome { get; }

    /// <summary>The MX hosts and addresses seen, or the failure, in a few words (made when first read).</summary>
    public string Detail => detail ??= hostsSeen!.ToString();

    /// <summary>
    /// Writes <see cref="Detail"/> into <paramref name="destination"/> without making a string of it when it is
    /// still data (a report writes it straight into its output). False when it does not fit.
    /// </summary>
    public bool TryFormatDetail(Span<char> destination, out int charsWritten)
    {
        if (detail is null && hostsSeen is not null)
        {
            return hostsSeen.TryFormat(destination, out charsWritten);
        }

        charsWritten = 0;
        if (!Detail.TryCopyTo(destination))
        {
            return false;
        }

        charsWritten = Detail.Length;
        return true;
    }
}
