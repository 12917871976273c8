namespace Vouch.Server;

/// <summary>
/// A log line already formatted by its writer (a decision line, text or JSON, made safe with UntrustedText):
/// the state of a Microsoft.Extensions.Logging event that <see cref="LineLoggerProvider"/> writes as it is.
/// </summary>
/// <param name="Text">The whole line.</param>
public readonly record struct LogLine(string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}
