namespace Vouch.Spf;

/// <summary>What one check_host() call gave: the result and, for the top of the tree, its reasons.</summary>
/// <param name="Code">The result.</param>
/// <param name="Mechanism">The deciding directive's text, or null.</param>
/// <param name="Explanation">For fail, the explanation; otherwise null.</param>
/// <param name="ExplanationIsDefault">True when the explanation is the default one.</param>
/// <param name="Problem">What went wrong (errors and none), or null.</param>
internal readonly record struct HostOutcome(SpfResultCode Code, string? Mechanism, string? Explanation, bool ExplanationIsDefault, string? Problem)
{
    public static HostOutcome Error(SpfResultCode code, string problem) => new(code, null, null, false, problem);
}
