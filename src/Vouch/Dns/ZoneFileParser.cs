namespace Vouch.Dns;

/// <summary>Reads RFC 1035 §5 master files.</summary>
public static class ZoneFileParser
{
    /// <summary>Parses zone-file text.</summary>
    /// <exception cref="ZoneFileException">The text has an error.</exception>
    public static ZoneFileContent Parse(string text, string fileName, string? defaultOrigin)
    {
        throw new ZoneFileException(fileName, 0, "not written yet");
    }
}
