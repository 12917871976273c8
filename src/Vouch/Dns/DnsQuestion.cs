namespace Vouch.Dns;

/// <summary>A DNS question as a cache key: a normalized name and a type.</summary>
/// <param name="Name">Lower case, no trailing dot.</param>
/// <param name="Type">The record type asked for.</param>
public readonly record struct DnsQuestion(string Name, DnsRecordType Type)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} {Type}";
}
