namespace Vouch.Configuration;

/// <summary>A value read from the configuration file, with where it was written, so every message can name its key and line.</summary>
/// <param name="path">The dotted key, e.g. "lists.dns[2].zone"; "" for the file's top level.</param>
/// <param name="line">The 1-based line; 0 for the file's top level.</param>
internal abstract class ConfigNode(string path, int line)
{
    /// <summary>The dotted key; array elements are numbered from 1, as people count them.</summary>
    public string Path { get; } = path;

    /// <summary>The 1-based line where the value, or the table's header, was written; 0 for the top level.</summary>
    public int Line { get; } = line;

    /// <summary>What the value is, for messages: "a string", "an integer", "a table".</summary>
    public abstract string Description { get; }
}
