namespace Vouch.Spf;

/// <summary>What evaluating one mechanism gave, and why in a few words.</summary>
/// <param name="Outcome">Match, no match, or an error that ends evaluation.</param>
/// <param name="Note">The reason, for the trace and for a problem description.</param>
internal readonly record struct TermMatch(SpfTermOutcome Outcome, string? Note)
{
    public static TermMatch Match(string? note) => new(SpfTermOutcome.Match, note);

    public static TermMatch NoMatch(string? note) => new(SpfTermOutcome.NoMatch, note);

    public static TermMatch TempError(string note) => new(SpfTermOutcome.TempError, note);

    public static TermMatch PermError(string note) => new(SpfTermOutcome.PermError, note);
}
