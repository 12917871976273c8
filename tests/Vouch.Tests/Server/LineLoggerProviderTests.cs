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

    [Fact]
    public void ALineWrittenThroughTheLoggerIsWrittenAsItIsFormattedByItsWriter()
    {
        using var lines = new StringWriter();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(new LineLoggerProvider(lines)));
        using var writer = new LoggerLineWriter(factory.CreateLogger("Vouch.Server"));
        var decision = "vouch: decision queue_id=Q1 client=192.0.2.1 " + new string('x', 400);

        writer.WriteLine(decision);
        writer.WriteLine("{\"verdict\":\"white\"}");

        Assert.Equal([decision, "{\"verdict\":\"white\"}"], lines.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
