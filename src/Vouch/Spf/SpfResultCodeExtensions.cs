namespace Vouch.Spf;

/// <summary>Conversions between <see cref="SpfResultCode"/> and its RFC 7208 tokens.</summary>
public static class SpfResultCodeExtensions
{
    /// <summary>The lower-case token used in headers and JSON: none, neutral, pass, fail, softfail, temperror, permerror.</summary>
    public static string ToToken(this SpfResultCode code) => code switch
    {
        SpfResultCode.None => "none",
        SpfResultCode.Neutral => "neutral",
        SpfResultCode.Pass => "pass",
        SpfResultCode.Fail => "fail",
        SpfResultCode.SoftFail => "softfail",
        SpfResultCode.TempError => "temperror",
        SpfResultCode.PermError => "permerror",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not an SPF result"),
    };

    /// <summary>Reads a token (case-insensitive); false when it is not one of the seven.</summary>
    public static bool TryParse(string token, out SpfResultCode code)
    {
        foreach (var candidate in Enum.GetValues<SpfResultCode>())
        {
            if (string.Equals(candidate.ToToken(), token, StringComparison.OrdinalIgnoreCase))
            {
                code = candidate;
                return true;
            }
        }

        code = default;
        return false;
    }

    /// <summary>The result a matching directive with <paramref name="qualifier"/> gives (RFC 7208 §4.6.2).</summary>
    public static SpfResultCode ToResultCode(this SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Pass => SpfResultCode.Pass,
        SpfQualifier.Fail => SpfResultCode.Fail,
        SpfQualifier.SoftFail => SpfResultCode.SoftFail,
        _ => SpfResultCode.Neutral,
    };

    /// <summary>The qualifier's character: '+', '-', '~' or '?'.</summary>
    public static char ToSymbol(this SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Fail => '-',
        SpfQualifier.SoftFail => '~',
        SpfQualifier.Neutral => '?',
        _ => '+',
    };
}
