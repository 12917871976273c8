namespace Vouch.Cli;

/// <summary>The process exit codes of the vouch command.</summary>
internal static class ExitCodes
{
    /// <summary>The command ran; a check exits 0 whatever its verdict.</summary>
    public const int Success = 0;

    /// <summary>Something failed while running (not the user's input).</summary>
    public const int Failure = 1;

    /// <summary>Wrong input: an unknown option, a bad address, an unreadable or broken zone file.</summary>
    public const int Usage = 2;
}
