using System.Collections.Frozen;
using System.Text;
using Vouch.Policy;

namespace Vouch.DecisionLog;

/// <summary>
/// The decision log's words for the values of <typeparamref name="T"/>: snake case of the value's name
/// ("not_listed", "mail_from"); the lower-case name (the tokens of verdicts, actions and modes) reads too.
/// Made once per type.
/// </summary>
internal static class EnumWords<T>
    where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> WordOf = Enum.GetValues<T>().Distinct().ToFrozenDictionary(value => value, SnakeCase);

    private static readonly FrozenDictionary<string, T> ValueOf = Enum.GetValues<T>()
        .SelectMany(value => new[] { (Word: SnakeCase(value), Value: value), (Word: Decision.Token(value), Value: value) })
        .DistinctBy(pair => pair.Word)
        .ToFrozenDictionary(pair => pair.Word, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>The word of <paramref name="value"/>.</summary>
    public static string Of(T value) => WordOf.TryGetValue(value, out var word) ? word : SnakeCase(value);

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
