using System.Collections.Frozen;
using System.Text;
using Vouch.Policy;

namespace Vouch.DecisionLog;

/// <summary>
/// Reads the decision log's words for the values of <typeparamref name="T"/>: the lower-case name
/// (<c>Decision.Token</c>: "mailfrom", "notlisted", the tokens of verdicts, actions and modes) or its snake case
/// ("not_listed", as <c>CandidateOutcomeExtensions.ToToken</c> writes). Made once per type.
/// </summary>
internal static class EnumWords<T>
    where T : struct, Enum
{
    private static readonly FrozenDictionary<string, T> ValueOf = Enum.GetValues<T>()
        .SelectMany(value => new[] { (Word: SnakeCase(value), Value: value), (Word: Decision.Token(value), Value: value) })
        .DistinctBy(pair => pair.Word)
        .ToFrozenDictionary(pair => pair.Word, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>The value whose word is <paramref name="word"/>.</summary>
    public static bool TryParse(string? word, out T value)
    {
        if (word is not null && ValueOf.TryGetValue(word, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private static string SnakeCase(T value)
    {
        var name = value.ToString();
        var word = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                word.Append('_');
            }

            word.Append(char.ToLowerInvariant(name[i]));
        }

        return word.ToString();
    }
}
