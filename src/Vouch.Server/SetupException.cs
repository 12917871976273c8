namespace Vouch.Server;

/// <summary>
/// Something a person gave cannot be used: the configuration, a zone file, a DNS server, the Public Suffix
/// List. The message says what, where, and what was expected; the CLI answers it with exit code 2.
/// </summary>
public sealed class SetupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SetupException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public SetupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public SetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
