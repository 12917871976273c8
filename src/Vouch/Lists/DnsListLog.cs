using Microsoft.Extensions.Logging;

namespace Vouch.Lists;

/// <summary>The DNS lists' log lines.</summary>
internal static partial class DnsListLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "DNS list {List} ({Zone}) SUSPENDED: it failed its RFC 5782 self-test: {Detail}. It will neither block nor pass anyone until it passes again.")]
    public static partial void Suspended(ILogger logger, string list, string zone, string detail);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "DNS list {List} ({Zone}) passed its self-test again and is resumed")]
    public static partial void Resumed(ILogger logger, string list, string zone);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "DNS list {List} ({Zone}) could not be self-tested: {Detail}; its state is unchanged")]
    public static partial void SelfTestFailed(ILogger logger, string list, string zone, string detail);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "DNS list {List} answered {Answer} for {Query}: an error code (query refused?), not counted as listed")]
    public static partial void ErrorAnswer(ILogger logger, string list, string query, string answer);
}
