using Microsoft.Extensions.Logging;

namespace Vouch.Reputation;

/// <summary>The reputation log lines: one per state change, one per store trouble.</summary>
public static partial class ReputationLog
{
    /// <summary>A row changed state.</summary>
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "reputation: {Row} {From} -> {To} ({Numbers}; seen in the {Source})")]
    public static partial void StateChanged(ILogger logger, string row, string from, string to, string numbers, string source);

    /// <summary>The store stopped answering.</summary>
    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "reputation: the store did not answer, reputation is unknown until it does: {Problem}")]
    public static partial void StoreTrouble(ILogger logger, string problem);

    /// <summary>The store answers again.</summary>
    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "reputation: the store answers again ({Rows} listed rows)")]
    public static partial void StoreBack(ILogger logger, int rows);
}
