namespace Vouch.Spf;

/// <summary>The result a check_host() call reached for one domain.</summary>
/// <param name="Depth">The nesting level.</param>
/// <param name="Domain">The domain checked.</param>
/// <param name="Code">Its result.</param>
/// <param name="Note">Why, in a few words, or null.</param>
public sealed record SpfResultEvent(int Depth, string Domain, SpfResultCode Code, string? Note) : SpfTraceEvent(Depth);
