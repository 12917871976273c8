using System.Globalization;
using Tomlyn;
using Tomlyn.Syntax;

namespace Vouch.Configuration;

/// <summary>
/// Reads one table of the configuration file. It is told the table's declaration (<see cref="ConfigurationSection"/>)
/// up front and rejects any other key at once, naming it, its line and the keys expected; its typed getters then turn wrong types, out-of-range numbers
/// and bad words into <see cref="ConfigurationException"/>s that name the key and line.
/// </summary>
internal sealed class TableReader
{
    private readonly string fileName;
    private readonly ConfigTable table;
    private readonly string[] knownKeys;

    /// <summary>Starts reading <paramref name="table"/>, whose only keys may be those <paramref name="section"/> declares.</summary>
    /// <exception cref="ConfigurationException">The table has another key.</exception>
    public TableReader(string fileName, ConfigTable table, ConfigurationSection section)
    {
        this.fileName = fileName;
        this.table = table;
        Section = section;
        knownKeys = section.KnownKeys;
        foreach (var (key, node) in table.Entries)
        {
            if (!this.knownKeys.Contains(key))
            {
                var kind = node is ConfigTable || node is ConfigArray { Items: [ConfigTable, ..] } ? "table" : "key";
                var hint = Suggest(key) is { } suggestion ? $" (did you mean '{suggestion}'?)" : "";
                throw Error(node, $"unknown {kind}{hint}; expected one of {string.Join(", ", this.knownKeys)}");
            }
        }
    }

    /// <summary>The table's declaration.</summary>
    public ConfigurationSection Section { get; }

    /// <summary>The table's dotted key ("" at the top level).</summary>
    public string Path => table.Path;

    /// <summary>The table's line (its header's, or where it was first named).</summary>
    public int Line => table.Line;

    /// <summary>The line of <paramref name="key"/>, or the table's when it is absent.</summary>
    public int LineOf(string key) => Find(key)?.Line ?? table.Line;

    /// <summary>"file:line" of <paramref name="key"/>, for notes that are not errors.</summary>
    public string Where(string key) => $"{fileName}:{LineOf(key)}";

    /// <summary>True when the key is present.</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>An error about <paramref name="node"/>, naming its key and line.</summary>
    public ConfigurationException Error(ConfigNode node, string problem) => new(fileName, node.Line, node.Path, problem);

    /// <summary>An error about <paramref name="key"/>: at its line when present, otherwise at the table's.</summary>
    public ConfigurationException Error(string key, string problem) =>
        Find(key) is { } node ? Error(node, problem) : new(fileName, table.Line, table.ChildPath(key), problem);

    /// <summary>The sub-table <paramref name="section"/> declares; an empty table when absent, so its defaults apply.</summary>
    public TableReader Table(ConfigurationSection section) => Find(section.Name) switch
    {
        null => new TableReader(fileName, new ConfigTable(table.ChildPath(section.Name), table.Line), section),
        ConfigTable child => new TableReader(fileName, child, section),
        var other => throw Error(other, $"expected a table ([{other.Path}]), found {other.Description}"),
    };

    /// <summary>The tables of the [[list]] <paramref name="section"/> declares (or an array of inline tables); null when absent.</summary>
    public IReadOnlyList<TableReader>? TableList(ConfigurationSection section)
    {
        switch (Find(section.Name))
        {
            case null:
                return null;
            case ConfigArray list:
                var readers = new List<TableReader>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    readers.Add(item is ConfigTable element
                        ? new TableReader(fileName, element, section)
                        : throw Error(item, $"expected a table ([[{list.Path}]]), found {item.Description}"));
                }

                return readers;
            case var other:
                throw Error(other, $"expected a list of tables ([[{other.Path}]]), found {other.Description}");
        }
    }

    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public int Integer(string key, int defaultValue, int minimum, int maximum) => OptionalInteger(key, minimum, maximum) ?? defaultValue;

    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/>, or null when absent.</summary>
    public int? OptionalInteger(string key, int minimum, int maximum)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is not ConfigValue { Syntax: IntegerValueSyntax integer })
        {
            throw Error(node, $"expected an integer from {minimum} to {maximum}, found {node.Description}");
        }

        return integer.Value >= minimum && integer.Value <= maximum
            ? (int)integer.Value
            : throw Error(node, $"{integer.Value} is out of range; expected {minimum}–{maximum}");
    }

    /// <summary>A number (integer or float) from <paramref name="minimum"/> to <paramref name="maximum"/>, or null when absent.</summary>
    public double? OptionalNumber(string key, double minimum, double maximum)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        double value = node switch
        {
            ConfigValue { Syntax: IntegerValueSyntax integer } => integer.Value,
            ConfigValue { Syntax: FloatValueSyntax number } => number.Value,
            _ => throw Error(node, $"expected a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}, found {node.Description}"),
        };
        return value >= minimum && value <= maximum && double.IsFinite(value)
            ? value
            : throw Error(node, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; expected {minimum.ToString(CultureInfo.InvariantCulture)}–{maximum.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>true or false, or <paramref name="defaultValue"/> when absent.</summary>
    public bool Boolean(string key, bool defaultValue) => Find(key) switch
    {
        null => defaultValue,
        ConfigValue { Syntax: BooleanValueSyntax boolean } => boolean.Value,
        var other => throw Error(other, $"expected true or false, found {other.Description}"),
    };

    /// <summary>A string, or null when absent.</summary>
    public string? OptionalString(string key) => Find(key) switch
    {
        null => null,
        ConfigValue { Syntax: StringValueSyntax text } => text.Value ?? "",
        var other => throw Error(other, $"expected a string, found {other.Description}"),
    };

    /// <summary>A string that must be present and not empty.</summary>
    public string RequiredString(string key) => OptionalString(key) switch
    {
        null => throw Error(key, "is required; expected a string"),
        "" => throw Error(key, "is empty; expected a string"),
        var text => text,
    };

    /// <summary>A string read by <paramref name="parse"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public T String<T>(string key, T defaultValue, TextParser<T> parse) =>
        OptionalString(key) is { } text ? Parse(Find(key)!, text, parse) : defaultValue;

    /// <summary>A string read by <paramref name="parse"/>, which must be present; <paramref name="expected"/> says what it is when it is missing.</summary>
    public T RequiredString<T>(string key, string expected, TextParser<T> parse) =>
        OptionalString(key) is { } text ? Parse(Find(key)!, text, parse) : throw Error(key, $"is required; expected {expected}");

    /// <summary>One of <paramref name="words"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public T Word<T>(string key, T defaultValue, IReadOnlyList<(string Word, T Value)> words) =>
        OptionalString(key) is { } text ? ParseWord(Find(key)!, text, words) : defaultValue;

    /// <summary>One of <paramref name="words"/>, which must be present.</summary>
    public T RequiredWord<T>(string key, IReadOnlyList<(string Word, T Value)> words) =>
        OptionalString(key) is { } text
            ? ParseWord(Find(key)!, text, words)
            : throw Error(key, $"is required; expected {Alternatives(words)}");

    /// <summary>An array of strings each read by <paramref name="parse"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public IReadOnlyList<T> StringList<T>(string key, IReadOnlyList<T> defaultValue, TextParser<T> parse)
    {
        var node = Find(key);
        if (node is null)
        {
            return defaultValue;
        }

        if (node is not ConfigArray list)
        {
            throw Error(node, $"expected an array of strings, found {node.Description}");
        }

        var values = new List<T>(list.Items.Count);
        foreach (var item in list.Items)
        {
            values.Add(item is ConfigValue { Syntax: StringValueSyntax text }
                ? Parse(item, text.Value ?? "", parse)
                : throw Error(item, $"expected a string, found {item.Description}"));
        }

        return values;
    }

    /// <summary>
    /// A moment: a TOML offset date-time as written, or a TOML local date taken as 00:00 UTC; null when absent.
    /// A local date-time or time is refused: without an offset the moment is not known.
    /// </summary>
    public DateTimeOffset? OptionalMoment(string key) => Find(key) switch
    {
        null => null,
        ConfigValue { Syntax: DateTimeValueSyntax { Value: { Kind: TomlDateTimeKind.LocalDate, DateTime: var date } } } =>
            new DateTimeOffset(date.Year, date.Month, date.Day, 0, 0, 0, TimeSpan.Zero),
        ConfigValue { Syntax: DateTimeValueSyntax { Value: { Kind: TomlDateTimeKind.OffsetDateTimeByZ or TomlDateTimeKind.OffsetDateTimeByNumber, DateTime: var moment } } } =>
            moment,
        var other => throw Error(other, $"expected a date (2027-01-15, meaning 00:00 UTC) or a date-time with an offset (2027-01-15T08:00:00+01:00), found {other.Description}"),
    };

    /// <summary>"a, b or c" with each word quoted, for messages.</summary>
    public static string Alternatives<T>(IReadOnlyList<(string Word, T Value)> words) =>
        words.Count == 1
            ? $"\"{words[0].Word}\""
            : string.Join(", ", words.Take(words.Count - 1).Select(w => $"\"{w.Word}\"")) + $" or \"{words[^1].Word}\"";

    private ConfigNode? Find(string key) =>
        knownKeys.Contains(key) ? table.Find(key) : throw new InvalidOperationException($"'{key}' is read but {Section.Header} does not declare it");

    private T Parse<T>(ConfigNode node, string text, TextParser<T> parse) =>
        parse(text, out var value, out var problem) ? value : throw Error(node, problem);

    private T ParseWord<T>(ConfigNode node, string text, IReadOnlyList<(string Word, T Value)> words)
    {
        foreach (var (word, value) in words)
        {
            if (word == text)
            {
                return value;
            }
        }

        throw Error(node, $"'{text}' is not known; expected {Alternatives(words)}");
    }

    // A known key that the unknown one is probably a typo of: one contains the other, or two edits apart.
    private string? Suggest(string key) =>
        knownKeys.FirstOrDefault(known => key.Length >= 3 && (known.Contains(key, StringComparison.OrdinalIgnoreCase) || key.Contains(known, StringComparison.OrdinalIgnoreCase)))
        ?? knownKeys.FirstOrDefault(known => EditDistance(known, key) <= 2);

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
