namespace Vouch.Configuration;

/// <summary>A TOML array, or the tables of a [[table]] list, in file order.</summary>
internal sealed class ConfigArray(string path, int line) : ConfigNode(path, line)
{
    private readonly List<ConfigNode> items = [];

    /// <summary>The elements in the order they were written.</summary>
    public IReadOnlyList<ConfigNode> Items => items;

    /// <inheritdoc />
    public override string Description => "an array";

    /// <summary>The dotted key of the next element: numbered from 1.</summary>
    public string NextItemPath => $"{Path}[{items.Count + 1}]";

    /// <summary>Adds an element at the end.</summary>
    public void Add(ConfigNode item) => items.Add(item);
}
