using Vouch.Policy;

namespace Vouch.Configuration;

/// <summary>Checks the RFC 3463 enhanced status codes of decision rules against their actions.</summary>
internal static class EnhancedStatusCodeText
{
    /// <summary>
    /// Checks that <paramref name="code"/> suits <paramref name="action"/>: none ("") for accept and tag; for defer a
    /// persistent transient failure (4.x.x), for reject a permanent failure (5.x.x), written
    /// <c>status-code = class "." subject "." detail</c> with <c>subject = 1*3digit</c>, <c>detail = 1*3digit</c> (RFC 3463 §2).
    /// </summary>
    public static bool TryCheck(string code, PolicyAction action, out string problem)
    {
        problem = "";
        if (action is PolicyAction.Accept or PolicyAction.Tag)
        {
            if (code.Length > 0)
            {
                problem = $"'{code}' is given, but {Word(action)} sends no status code; remove it (codes are for defer and reject)";
                return false;
            }

            return true;
        }

        var expectedClass = action == PolicyAction.Defer ? '4' : '5';
        var example = action == PolicyAction.Defer ? "4.7.1" : "5.7.1";
        if (code.Length == 0)
        {
            problem = $"is required for {Word(action)}; expected an RFC 3463 code such as {example}";
            return false;
        }

        var parts = code.Split('.');
        if (parts.Length != 3 || parts[0].Length != 1 || parts[0][0] is not ('2' or '4' or '5') || !IsOneToThreeDigits(parts[1]) || !IsOneToThreeDigits(parts[2]))
        {
            problem = $"'{code}' is not an RFC 3463 enhanced status code; expected class.subject.detail such as {example}";
            return false;
        }

        if (parts[0][0] != expectedClass)
        {
            problem = $"'{code}' is of class {parts[0]}, but {Word(action)} needs class {expectedClass} ({expectedClass}.x.x), such as {example}";
            return false;
        }

        return true;
    }

    private static bool IsOneToThreeDigits(string text) => text.Length is >= 1 and <= 3 && text.All(char.IsAsciiDigit);

    private static string Word(PolicyAction action) => Decision.Token(action);
}
