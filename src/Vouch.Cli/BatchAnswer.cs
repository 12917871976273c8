namespace Vouch.Cli;

/// <summary>One batch answer: the buffer holding its JSON line, and how long it took from reading the input line.</summary>
internal readonly record struct BatchAnswer(JsonLineBuffer Line, TimeSpan Latency);
