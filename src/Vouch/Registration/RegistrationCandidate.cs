namespace Vouch.Registration;

/// <summary>One domain the registration check tried, in order, with what it found.</summary>
/// <param name="Domain">The domain tried.</param>
/// <param name="Via">How the client presented it.</param>
/// <param name="IsOrganizationalDomain">True when this is the organisational domain of a presented name, not the name itself.</param>
/// <param name="Outcome">What trying it gave.</param>
/// <param name="Detail">The MX hosts and addresses seen, or the failure, in a few words.</param>
public sealed record RegistrationCandidate(string Domain, RegistrationRoute Via, bool IsOrganizationalDomain, CandidateOutcome Outcome, string Detail);
