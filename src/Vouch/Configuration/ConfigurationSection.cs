namespace Vouch.Configuration;

/// <summary>One table of the configuration file, declared once in <see cref="ConfigurationSchema"/>: its keys and the tables inside it.</summary>
public sealed class ConfigurationSection
{
    internal ConfigurationSection(string path, bool isTableList, IReadOnlyList<ConfigurationKey> keys, IReadOnlyList<ConfigurationSection>? tables = null)
    {
        Path = path;
        IsTableList = isTableList;
        Keys = keys;
        Tables = tables ?? [];
        KnownKeys = [.. keys.Select(key => key.Name), .. Tables.Select(table => table.Name)];
    }

    /// <summary>The table's dotted path: "" for the top level, "dns", "lists.dns".</summary>
    public string Path { get; }

    /// <summary>The table's name within its parent: "dns" for both [dns] and [[lists.dns]].</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];

    /// <summary>True for a list of tables, written [[lists.dns]].</summary>
    public bool IsTableList { get; }

    /// <summary>How the file writes the table's header: "[dns]", "[[lists.dns]]", or "the top level".</summary>
    public string Header => Path.Length == 0 ? "the top level" : IsTableList ? $"[[{Path}]]" : $"[{Path}]";

    /// <summary>The table's keys, in the order the documentation and messages list them.</summary>
    public IReadOnlyList<ConfigurationKey> Keys { get; }

    /// <summary>The tables inside it ([lists] has [[lists.dns]]).</summary>
    public IReadOnlyList<ConfigurationSection> Tables { get; }

    /// <summary>Every name the table may hold: its keys, then its tables; anything else is an unknown key.</summary>
    internal string[] KnownKeys { get; }

    /// <summary>The key named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The table declares no such key.</exception>
    public ConfigurationKey Key(string name) =>
        Keys.FirstOrDefault(key => key.Name == name) ?? throw new KeyNotFoundException($"{Header} declares no key '{name}'");
}
