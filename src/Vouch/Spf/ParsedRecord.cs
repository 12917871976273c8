namespace Vouch.Spf;

/// <summary>A record's parse, kept for reuse: the record, or the syntax error that made it invalid.</summary>
/// <param name="Record">The record when valid.</param>
/// <param name="Error">The syntax error when invalid.</param>
internal sealed record ParsedRecord(SpfRecord? Record, SpfSyntaxError? Error);
