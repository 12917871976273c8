using Microsoft.Extensions.Logging;

namespace Vouch.Reputation;

/// <summary>The reputation log lines: one per state change, one per store trouble.</summary>
internal static partial class ReputationLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "reputation: {Row} {From} -> {To} ({Numbers}; {Source} report)")]
    public static partial void StateChanged(ILogger logger, string row, string from, string to, string numbers, string source);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "reputation: the store did not answer, reputation is unknown until it does: {Problem}")]
    public static partial void StoreTrouble(ILogger logger, string problem);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "reputation: the store answers again ({Rows} listed rows)")]
    public static partial void StoreBack(ILogger logger, int rows);
}
