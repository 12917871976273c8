namespace Vouch.Reputation;

/// <summary>The words for methods, strengths, states, sources and kinds, as tickets, logs, JSON and the configuration write them.</summary>
public static class VouchWords
{
    /// <summary>"mx", "spf", "rmx", "ptr", "helo".</summary>
    public static string ToToken(this VouchMethod method) => method switch
    {
        VouchMethod.Mx => "mx",
        VouchMethod.Spf => "spf",
        VouchMethod.Rmx => "rmx",
        VouchMethod.Ptr => "ptr",
        _ => "helo",
    };

    /// <summary>"strong", "shared", "weak".</summary>
    public static string ToToken(this VouchStrength strength) => strength switch
    {
        VouchStrength.Strong => "strong",
        VouchStrength.Shared => "shared",
        _ => "weak",
    };

    /// <summary>"neutral", "suspect", "blocked".</summary>
    public static string ToToken(this ReputationState state) => state switch
    {
        ReputationState.Suspect => "suspect",
        ReputationState.Blocked => "blocked",
        _ => "neutral",
    };

    /// <summary>"user", "trap", "filter", "filter-tag", "arf", "admin".</summary>
    public static string ToToken(this ReportSource source) => source switch
    {
        ReportSource.User => "user",
        ReportSource.Trap => "trap",
        ReportSource.Filter => "filter",
        ReportSource.FilterTag => "filter-tag",
        ReportSource.Arf => "arf",
        _ => "admin",
    };

    /// <summary>"spam" or "ham".</summary>
    public static string ToToken(this ReportKind kind) => kind == ReportKind.Spam ? "spam" : "ham";

    /// <summary>Reads a method word; false when it is none.</summary>
    public static bool TryParseMethod(string text, out VouchMethod method) => TryParse(text, ToToken, out method);

    /// <summary>Reads a state word; false when it is none.</summary>
    public static bool TryParseState(string text, out ReputationState state) => TryParse(text, ToToken, out state);

    /// <summary>Reads a source word; false when it is none.</summary>
    public static bool TryParseSource(string text, out ReportSource source) => TryParse(text, ToToken, out source);

    /// <summary>Reads a kind word; false when it is none.</summary>
    public static bool TryParseKind(string text, out ReportKind kind) => TryParse(text, ToToken, out kind);

    private static bool TryParse<T>(string text, Func<T, string> token, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(token(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
