using Microsoft.Extensions.Logging;

namespace Vouch.Tests.Lists;

/// <summary>One log entry as <see cref="RecordingLogger{T}"/> saw it.</summary>
internal sealed record RecordedLog(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
