namespace Vouch.Spf;

/// <summary>The SPF record selected for a domain, about to be evaluated.</summary>
/// <param name="Depth">The nesting level.</param>
/// <param name="Domain">The domain whose record it is.</param>
/// <param name="Text">The record text.</param>
public sealed record SpfRecordEvent(int Depth, string Domain, string Text) : SpfTraceEvent(Depth);
