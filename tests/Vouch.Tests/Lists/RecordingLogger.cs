using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vouch.Tests.Lists;

/// <summary>A logger that keeps every entry, with its formatted message and structured values, for tests to assert on.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<RecordedLog> entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. entries];

    public IReadOnlyList<RecordedLog> At(LogLevel level) => [.. entries.Where(e => e.Level == level)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                values[key] = value;
            }
        }

        entries.Enqueue(new RecordedLog(logLevel, eventId, formatter(state, exception), values));
    }
}
