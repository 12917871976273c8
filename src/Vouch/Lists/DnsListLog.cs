using Microsoft.Extensions.Logging;

namespace Vouch.Lists;

/// <summary>The log lines of <see cref="DnsListChecker"/>, source-generated.</summary>
internal static partial class DnsListLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "query refused by list {List}: {Answers} for {QueryName}; treated as not listed")]
    public static partial void QueryRefused(ILogger logger, string list, string answers, string queryName);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "list {List} answered {Answers} for {QueryName}, outside its listed and error ranges; treated as not listed")]
    public static partial void UnexpectedAnswer(ILogger logger, string list, string answers, string queryName);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error,
        Message = "DNS list {List} ({Zone}) FAILED its self-test and is suspended, not queried until it passes: {Detail}")]
    public static partial void SelfTestFailed(ILogger logger, string list, string zone, string detail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "DNS list {List} ({Zone}) passed its self-test and is resumed: {Detail}")]
    public static partial void Resumed(ILogger logger, string list, string zone, string detail);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning,
        Message = "self-test of DNS list {List} ({Zone}) was inconclusive, the list stays {State}: {Detail}")]
    public static partial void SelfTestInconclusive(ILogger logger, string list, string zone, string state, string detail);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error,
        Message = "DNS list self-tests failed unexpectedly; trying again at the next interval")]
    public static partial void SelfTestCrashed(ILogger logger, Exception exception);
}
