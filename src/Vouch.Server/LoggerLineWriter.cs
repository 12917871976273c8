using System.Text;
using Microsoft.Extensions.Logging;

namespace Vouch.Server;

/// <summary>
/// A writer of whole lines that logs each as one Microsoft.Extensions.Logging event (information,
/// <see cref="LogLine"/> state), so that the parts of the service that write lines (the responder's
/// decisions, the server's connection problems, the host's reloads) go the one logging path.
/// </summary>
public sealed class LoggerLineWriter(ILogger logger) : TextWriter
{
    private static readonly EventId Line = new(1000, "line");

    private readonly ILogger logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void WriteLine(string? value) =>
        logger.Log(LogLevel.Information, Line, new LogLine(value ?? ""), null, static (line, _) => line.Text);

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Write(string? value) => WriteLine(value);

    /// <inheritdoc/>
    public override void Write(char value) => WriteLine(value.ToString());
}
