namespace Vouch.Registration;

/// <summary>
/// The public suffix list file could not be loaded: it is missing, unreadable, empty or malformed.
/// The message names the file and the <c>public_suffix_list</c> setting that chooses it.
/// </summary>
public sealed class PublicSuffixListException : Exception
{
    /// <summary>Creates the exception for the list file at <paramref name="path"/>.</summary>
    /// <param name="path">The file's path as configured.</param>
    /// <param name="message">The whole message, naming the path.</param>
    /// <param name="innerException">The I/O or format error behind it, if any.</param>
    public PublicSuffixListException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The list file's path as configured.</summary>
    public string Path { get; }
}
