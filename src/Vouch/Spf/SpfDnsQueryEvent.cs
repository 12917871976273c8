using Vouch.Dns;

namespace Vouch.Spf;

/// <summary>A DNS query made during the evaluation, with its outcome.</summary>
/// <param name="Depth">The nesting level.</param>
/// <param name="Name">The name asked for.</param>
/// <param name="Type">The record type asked for.</param>
/// <param name="Status">The answer's status.</param>
/// <param name="Answers">The answers in short text form (addresses, "10 mx.example.com", TXT text); empty unless records came back.</param>
/// <param name="Problem">For a failure, what the resolver said; otherwise null.</param>
public sealed record SpfDnsQueryEvent(int Depth, string Name, DnsRecordType Type, DnsStatus Status, IReadOnlyList<string> Answers, string? Problem) : SpfTraceEvent(Depth);
