namespace Vouch.Spf;

/// <summary>What evaluating one mechanism gave, and why in a few words.</summary>
/// <param name="Outcome">Match, no match, or an error that ends evaluation.</param>
/// <param name="Note">The reason: for errors the problem description; for a match or a miss, only when there is a trace to write it (null otherwise, so that no text is made for nothing).</param>
internal readonly record struct TermMatch(SpfTermOutcome Outcome, string? Note)
{
    public static TermMatch Match(string? note) => new(SpfTermOutcome.Match, note);

    public static TermMatch NoMatch(string? note) => new(SpfTermOutcome.NoMatch, note);

    public static TermMatch TempError(string note) => new(SpfTermOutcome.TempError, note);

    public static TermMatch PermError(string note) => new(SpfTermOutcome.PermError, note);
}
