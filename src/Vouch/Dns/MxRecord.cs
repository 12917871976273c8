namespace Vouch.Dns;

/// <summary>One MX resource record (RFC 1035 §3.3.9).</summary>
/// <param name="Preference">Lower is preferred; 0–65535.</param>
/// <param name="Exchange">The mail host's name, without a trailing dot; "" for the root, as in a Null MX (RFC 7505).</param>
public sealed record MxRecord(ushort Preference, string Exchange);
