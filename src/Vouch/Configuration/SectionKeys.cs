using System.Globalization;

namespace Vouch.Configuration;

/// <summary>
/// Declares the keys of one table whose values go into one options record <typeparamref name="T"/> of the
/// configuration: each key's reading (type and range checks by <see cref="TableReader"/>), its value shown as
/// TOML and its default all come from the one getter and setter given for it.
/// </summary>
/// <typeparam name="T">The options record the table fills, e.g. the DNS resolver's options for [dns].</typeparam>
/// <param name="get">Where the record is in the configuration.</param>
/// <param name="set">The configuration with the record replaced.</param>
internal sealed class SectionKeys<T>(Func<VouchConfiguration, T> get, Func<VouchConfiguration, T, VouchConfiguration> set)
{
    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public ConfigurationKey Integer(string name, int minimum, int maximum, Func<T, int> value, Func<T, int, T> with, string summary) => new(
        name, $"integer, {ConfigurationKey.Range(minimum, maximum)}", summary,
        configuration => ConfigurationKey.Number(value(get(configuration))),
        (table, configuration) => table.OptionalInteger(name, minimum, maximum) is { } read ? Set(configuration, read, with) : configuration);

    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/> that may be left unset.</summary>
    public ConfigurationKey OptionalInteger(string name, int minimum, int maximum, Func<T, int?> value, Func<T, int?, T> with, string summary) => new(
        name, $"integer, {ConfigurationKey.Range(minimum, maximum)}", summary,
        configuration => value(get(configuration)) is { } number ? ConfigurationKey.Number(number) : "not set",
        (table, configuration) => table.OptionalInteger(name, minimum, maximum) is { } read ? Set(configuration, read, with) : configuration);

    /// <summary>A number (integer or float) from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public ConfigurationKey Number(string name, double minimum, double maximum, Func<T, double> value, Func<T, double, T> with, string summary) => new(
        name, $"number, {minimum.ToString(CultureInfo.InvariantCulture)}–{maximum.ToString(CultureInfo.InvariantCulture)}", summary,
        configuration => value(get(configuration)).ToString(CultureInfo.InvariantCulture),
        (table, configuration) => table.OptionalNumber(name, minimum, maximum) is { } read ? Set(configuration, read, with) : configuration);

    /// <summary>true or false.</summary>
    public ConfigurationKey Boolean(string name, Func<T, bool> value, Func<T, bool, T> with, string summary) => new(
        name, "boolean", summary,
        configuration => value(get(configuration)) ? "true" : "false",
        (table, configuration) => table.Has(name) ? Set(configuration, table.Boolean(name, false), with) : configuration);

    /// <summary>A string read by <paramref name="parse"/>, shown by <paramref name="format"/> (the string itself when null).</summary>
    public ConfigurationKey String<TValue>(string name, string type, TextParser<TValue> parse, Func<T, TValue> value, Func<T, TValue, T> with, string summary, Func<TValue, string>? format = null) => new(
        name, type, summary,
        configuration => ConfigurationKey.Quote(Format(value(get(configuration)), format)),
        (table, configuration) => table.Has(name) ? Set(configuration, table.String(name, default(TValue)!, parse), with) : configuration);

    /// <summary>One of <paramref name="words"/>.</summary>
    public ConfigurationKey Word<TValue>(string name, IReadOnlyList<(string Word, TValue Value)> words, Func<T, TValue> value, Func<T, TValue, T> with, string summary) => new(
        name, TableReader.Alternatives(words), summary,
        configuration => ConfigurationKey.Quote(words.First(word => EqualityComparer<TValue>.Default.Equals(word.Value, value(get(configuration)))).Word),
        (table, configuration) => table.Has(name) ? Set(configuration, table.Word(name, default(TValue)!, words), with) : configuration);

    /// <summary>An array of strings, each read by <paramref name="parse"/> and shown by <paramref name="format"/> (itself when null).</summary>
    public ConfigurationKey StringList<TValue>(string name, string type, TextParser<TValue> parse, Func<T, IReadOnlyList<TValue>> value, Func<T, IReadOnlyList<TValue>, T> with, string summary, Func<TValue, string>? format = null) => new(
        name, type, summary,
        configuration => "[" + string.Join(", ", value(get(configuration)).Select(item => ConfigurationKey.Quote(Format(item, format)))) + "]",
        (table, configuration) => table.Has(name) ? Set(configuration, table.StringList(name, [], parse), with) : configuration);

    /// <summary>A moment (a TOML date, or a date-time with an offset) that may be left unset.</summary>
    public ConfigurationKey Moment(string name, string type, Func<T, DateTimeOffset?> value, Func<T, DateTimeOffset?, T> with, string summary) => new(
        name, type, summary,
        configuration => value(get(configuration)) is { } moment ? moment.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) : "not set",
        (table, configuration) => table.OptionalMoment(name) is { } read ? Set(configuration, read, with) : configuration);

    private VouchConfiguration Set<TValue>(VouchConfiguration configuration, TValue value, Func<T, TValue, T> with) => set(configuration, with(get(configuration), value));

    private static string Format<TValue>(TValue value, Func<TValue, string>? format) => format is null ? value?.ToString() ?? "" : format(value);
}
