namespace Vouch.Spf;

/// <summary>A term of a record evaluated.</summary>
/// <param name="Depth">The nesting level.</param>
/// <param name="Term">The term as written, e.g. "ip4:192.0.2.0/24".</param>
/// <param name="Outcome">What it gave.</param>
/// <param name="Note">Why, in a few words (e.g. "target _spf.example.com", "192.0.2.1 not in 2 addresses"), or null.</param>
public sealed record SpfTermEvent(int Depth, string Term, SpfTermOutcome Outcome, string? Note) : SpfTraceEvent(Depth);
