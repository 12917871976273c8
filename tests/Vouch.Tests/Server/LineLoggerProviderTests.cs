using Microsoft.Extensions.Logging;
using Vouch.Server;

namespace Vouch.Tests.Server;

public sealed class LineLoggerProviderTests
{
    private static void Log(ILogger logger, LogLevel level, string message, Exception? exception = null) =>
        logger.Log(level, default, message, exception, (text, _) => text);

    [Fact]
    public void LibraryMessagesBecomeOneServiceLogLineEachWithTheirLevelAndNoControlCharacters()
    {
        using var lines = new StringWriter();
        using var provider = new LineLoggerProvider(lines);
        var logger = provider.CreateLogger("Vouch.Lists.DnsListChecker");

        Log(logger, LogLevel.Information, "list spamhaus resumed");
        Log(logger, LogLevel.Warning, "list answered evil\r\nvouch: decision forged");
        Log(logger, LogLevel.Error, "self-tests failed", new InvalidOperationException("boom"));
        Log(logger, LogLevel.Debug, "not shown");

        Assert.Equal(
            ["vouch: list spamhaus resumed", "vouch: warning: list answered evilvouch: decision forged", "vouch: error: self-tests failed: InvalidOperationException: boom"],
            lines.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
