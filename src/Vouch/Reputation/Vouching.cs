namespace Vouch.Reputation;

/// <summary>What Vouch verified for a client: which owner vouched for it, through whom, and how firmly.</summary>
/// <param name="Owner">The organisational domain (Public Suffix List) of the vouching domain: the accountable party.</param>
/// <param name="Via">The other organisation whose infrastructure the vouch went through (an ESP's include, a foreign MX host), or null for the owner's own records.</param>
/// <param name="Method">The evidence that vouched.</param>
/// <param name="Strength">How firmly; decides what a report charges.</param>
/// <param name="Domain">The vouching domain itself (MAIL FROM's, HELO's, the PTR name's).</param>
/// <param name="Term">The record entry that vouched ("ip4:192.0.2.0/24", "MX mx1.example.com", "host:relay.esp.net").</param>
public sealed record Vouching(string Owner, string? Via, VouchMethod Method, VouchStrength Strength, string Domain, string Term)
{
    /// <summary>The word for "no via": the owner's own records.</summary>
    public const string NoVia = "-";

    /// <summary><see cref="Via"/>, or "-".</summary>
    public string ViaText => Via ?? NoVia;

    /// <inheritdoc />
    public override string ToString() => $"{Owner} via {ViaText} ({Method.ToToken()}, {Strength.ToToken()})";
}
