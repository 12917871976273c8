using Tomlyn.Syntax;

namespace Vouch.Configuration;

/// <summary>A TOML table (from a header, a dotted key or an inline table), its entries in file order.</summary>
internal sealed class ConfigTable(string path, int line) : ConfigNode(path, line)
{
    private readonly List<KeyValuePair<string, ConfigNode>> entries = [];

    /// <summary>The entries in the order they were written.</summary>
    public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries => entries;

    /// <inheritdoc />
    public override string Description => "a table";

    /// <summary>The entry named <paramref name="key"/>, or null.</summary>
    public ConfigNode? Find(string key)
    {
        foreach (var entry in entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>The dotted key of an entry of this table; a key that is not bare is quoted as TOML would.</summary>
    public string ChildPath(string key)
    {
        var written = BareKeySyntax.IsBareKey(key) ? key : $"\"{key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        return Path.Length == 0 ? written : $"{Path}.{written}";
    }

    /// <summary>Adds an entry; the tree builder has checked that the key is new.</summary>
    public void Add(string key, ConfigNode node) => entries.Add(new(key, node));
}
