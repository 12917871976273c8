using Microsoft.Extensions.Logging;

namespace Vouch.Server;

/// <summary>
/// Microsoft.Extensions.Logging onto the service's log lines: each message becomes one line
/// <c>vouch: [warning: |error: ]message[: exception]</c> on the given writer (the bounded background
/// writer in <c>vouch serve</c>); a <see cref="LogLine"/> (a decision line) is written as it is. Below
/// Information is dropped.
/// </summary>
public sealed class LineLoggerProvider(TextWriter lines) : ILoggerProvider
{
    private readonly TextWriter lines = lines ?? throw new ArgumentNullException(nameof(lines));

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new LineLogger(lines);

    /// <inheritdoc/>
    public void Dispose()
    {
        // The writer belongs to the caller.
    }

    private sealed class LineLogger(TextWriter lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and not LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            if (state is LogLine line)
            {
                lines.WriteLine(line.Text); // Formatted and made safe by its writer.
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Warning => "warning: ",
                LogLevel.Error or LogLevel.Critical => "error: ",
                _ => "",
            };
            var cause = exception is null ? "" : $": {exception.GetType().Name}: {exception.Message}";
            lines.WriteLine($"vouch: {level}{Vouch.Text.UntrustedText.LogText(formatter(state, exception) + cause)}");
        }
    }
}
