namespace Vouch.Dns.Zones;

/// <summary>A zone file could not be read or has an error. The message names the file and the line.</summary>
public sealed class ZoneFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="fileName"/>, line <paramref name="line"/> (0 when no line applies).</summary>
    public ZoneFileException(string fileName, int line, string problem, Exception? innerException = null)
        : base(line > 0 ? $"{fileName}:{line}: {problem}" : $"{fileName}: {problem}", innerException)
    {
        FileName = fileName;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file's name as given.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line the error is on; 0 when the file as a whole is at fault.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Problem { get; }
}
