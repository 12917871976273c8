namespace Vouch.Reputation;

/// <summary>The reputation store could not answer (down, locked, timed out): reputation is unknown for now.</summary>
public sealed class ReputationStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReputationStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReputationStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReputationStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
