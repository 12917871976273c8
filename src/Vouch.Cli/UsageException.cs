namespace Vouch.Cli;

/// <summary>Wrong input on the command line or in a file it names: reported on stderr with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
