using System.Globalization;

namespace Vouch.Configuration;

/// <summary>
/// One key of a configuration table, declared once (in <see cref="ConfigurationSchema"/>): its name, what it holds,
/// its default and a line saying what it does. The loader reads the key by it, the unknown-key check knows the key
/// by it, <c>vouch serve --check-config</c> shows it and the documentation is tested against it.
/// </summary>
public sealed class ConfigurationKey
{
    private readonly Func<VouchConfiguration, string>? show;

    internal ConfigurationKey(string name, string type, string summary, Func<VouchConfiguration, string>? show, Func<TableReader, VouchConfiguration, VouchConfiguration>? read, string? defaultText = null, string? movedTo = null)
    {
        Name = name;
        Type = type;
        Summary = summary;
        this.show = show;
        Read = read;
        Default = defaultText ?? show?.Invoke(VouchConfiguration.Default) ?? "";
        MovedTo = movedTo;
    }

    /// <summary>The key as written in the file, e.g. "timeout_ms".</summary>
    public string Name { get; }

    /// <summary>What the key holds, as the documentation says it: "integer, 1–60000", "boolean", "\"monitor\" or \"enforce\"".</summary>
    public string Type { get; }

    /// <summary>The default as TOML text ("2000", "true", "\"monitor\""), or what it means when no value says it ("not set", "required").</summary>
    public string Default { get; }

    /// <summary>What the key does, in one line.</summary>
    public string Summary { get; }

    /// <summary>For a key kept in an old place: the table that has it now ("checks"); null for a key in its place.</summary>
    public string? MovedTo { get; }

    /// <summary>True when the table's own reader reads the key (a rule, a DNS list, a policy shortcut), not the key itself.</summary>
    public bool IsReadByItsTable => Read is null;

    /// <summary>Reads the key from its table into the configuration when present; null when <see cref="IsReadByItsTable"/>.</summary>
    internal Func<TableReader, VouchConfiguration, VouchConfiguration>? Read { get; }

    /// <summary>The key's value in <paramref name="configuration"/> as TOML text; null when <see cref="IsReadByItsTable"/>.</summary>
    public string? Show(VouchConfiguration configuration) => show?.Invoke(configuration);

    /// <summary>A key its table's own reader reads; only its name, type, default and summary are declared here.</summary>
    internal static ConfigurationKey ReadByTable(string name, string type, string defaultText, string summary) => new(name, type, summary, null, null, defaultText);

    /// <summary>This key with <paramref name="text"/> as its default, where the value is not the same everywhere (the machine's name).</summary>
    internal ConfigurationKey WithDefault(string text) => new(Name, Type, Summary, show, Read, text, MovedTo);

    /// <summary>"a–b", as messages and the documentation write a range.</summary>
    internal static string Range(int minimum, int maximum) => $"{Number(minimum)}–{Number(maximum)}";

    /// <summary>An integer as TOML writes it.</summary>
    internal static string Number(int number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string as a TOML basic string.</summary>
    internal static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>This key as still accepted in the table it was in, read the same; it has moved to <paramref name="table"/>.</summary>
    internal ConfigurationKey Deprecated(string table) => new(Name, Type, Summary, show, Read, Default, table);
}
