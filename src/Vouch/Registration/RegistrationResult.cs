namespace Vouch.Registration;

/// <summary>What the MX-registration check found.</summary>
/// <param name="Code">Registered, unregistered or temperror.</param>
/// <param name="Domain">The vouching domain (registered only).</param>
/// <param name="Owner">Its organisational domain, the party accountable (registered only).</param>
/// <param name="Via">How the client presented the vouching domain (registered only).</param>
/// <param name="MxHost">The MX host whose address matched (registered only; the domain itself for an implicit MX).</param>
/// <param name="Preference">That MX record's preference (registered only).</param>
/// <param name="IsLowestPriority">True when that MX has the highest preference value of the domain's MX records: a host listed last, as outbound-only servers are (registered only).</param>
/// <param name="Candidates">Every domain tried, in order.</param>
/// <param name="SenderHasNullMx">True when the MAIL FROM domain itself publishes a Null MX (RFC 7505).</param>
/// <param name="DnsQueries">DNS queries the check made.</param>
/// <param name="Problem">For temperror, what failed; when the budget ran out, that; otherwise null.</param>
public sealed record RegistrationResult(
    RegistrationResultCode Code,
    string? Domain,
    string? Owner,
    RegistrationRoute? Via,
    string? MxHost,
    int? Preference,
    bool? IsLowestPriority,
    IReadOnlyList<RegistrationCandidate> Candidates,
    bool SenderHasNullMx,
    int DnsQueries,
    string? Problem)
{
    /// <summary>The result when MX registration is turned off.</summary>
    public static RegistrationResult NotChecked { get; } = new(RegistrationResultCode.Off, null, null, null, null, null, null, [], false, 0, null);

    /// <summary>A temporary error: the check did not finish (its deadline passed).</summary>
    /// <param name="problem">Why.</param>
    public static RegistrationResult Unfinished(string problem) =>
        new(RegistrationResultCode.TempError, null, null, null, null, null, null, [], false, 0, problem);

    /// <summary>
    /// A placeholder for a check that was not asked because the decision did not need it; only whether the sender
    /// domain publishes a Null MX may have been asked (<see cref="MxRegistrationCheck.SenderHasNullMxAsync"/>).
    /// </summary>
    /// <param name="senderHasNullMx">What that one question found (false when it was not asked either).</param>
    /// <param name="problem">Why the check was not asked.</param>
    public static RegistrationResult NotNeeded(bool senderHasNullMx, string problem) =>
        new(RegistrationResultCode.Off, null, null, null, null, null, null, [], senderHasNullMx, 0, problem);

    /// <summary>The token used in JSON: registered, unregistered, temperror, off.</summary>
    public string Token => Code switch
    {
        RegistrationResultCode.Registered => "registered",
        RegistrationResultCode.Unregistered => "unregistered",
        RegistrationResultCode.Off => "off",
        _ => "temperror",
    };
}
