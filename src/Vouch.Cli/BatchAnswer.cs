namespace Vouch.Cli;

/// <summary>One batch answer: its JSON line, and how long it took from reading the input line.</summary>
internal readonly record struct BatchAnswer(string Json, TimeSpan Latency);
