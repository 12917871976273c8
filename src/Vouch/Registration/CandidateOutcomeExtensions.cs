namespace Vouch.Registration;

/// <summary>The words of <see cref="CandidateOutcome"/> in JSON (<c>vouch check --json</c>, the decision log) and reports.</summary>
public static class CandidateOutcomeExtensions
{
    /// <summary>registered, not_listed, no_mx, null_mx, temperror, not_tried.</summary>
    public static string ToToken(this CandidateOutcome outcome) => outcome switch
    {
        CandidateOutcome.Registered => "registered",
        CandidateOutcome.NotListed => "not_listed",
        CandidateOutcome.NoMx => "no_mx",
        CandidateOutcome.NullMx => "null_mx",
        CandidateOutcome.TempError => "temperror",
        _ => "not_tried",
    };
}
