namespace Vouch.Spf;

/// <summary>A syntax error in an SPF record or macro string: where it is and what was expected.</summary>
/// <param name="Column">1-based position in the record text where the offending part starts.</param>
/// <param name="Message">What was found and what was expected, e.g. "ip4 prefix length '/33', expected 0–32".</param>
public sealed record SpfSyntaxError(int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Message} at column {Column}";
}
