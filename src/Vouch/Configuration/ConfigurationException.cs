namespace Vouch.Configuration;

/// <summary>A configuration file cannot be read, or has an unknown key or a bad value. The message names the file, line and key.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file as given.</param>
    /// <param name="line">The 1-based line, or 0 when the file as a whole is at fault.</param>
    /// <param name="key">The dotted key at fault (e.g. "lists.dnsbl[1].zone"), or "" when none.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ConfigurationException(string fileName, int line, string key, string problem, Exception? innerException = null)
        : base(Format(fileName, line, key, problem), innerException)
    {
        FileName = fileName;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file as given.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line; 0 when no line applies.</summary>
    public int Line { get; }

    /// <summary>The dotted key at fault, or "".</summary>
    public string Key { get; }

    /// <summary>What is wrong, without the file, line and key.</summary>
    public string Problem { get; }

    private static string Format(string fileName, int line, string key, string problem) =>
        (line > 0 ? $"{fileName}:{line}: " : $"{fileName}: ") + (key.Length > 0 ? $"{key}: " : "") + problem;
}
