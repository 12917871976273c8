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

    /// <summary><c>vouch audit</c> found errors: a server that is not white, a broken record (or warnings, with --fail-on warn).</summary>
    public const int Findings = 1;

    /// <summary><c>vouch audit</c> could not decide: DNS trouble, and nothing else failed.</summary>
    public const int Incomplete = 3;
}
