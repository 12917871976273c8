using Vouch.Server;
using Vouch.Tests.Support;

namespace Vouch.Tests.Server;

public sealed class BackgroundLineWriterTests
{
    [Fact]
    public async Task LinesFromManyThreadsAreWrittenWholeAndAllOfThemByCompletion()
    {
        using var destination = new StringWriter();
        var writer = new BackgroundLineWriter(destination);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                writer.WriteLine($"thread {t} line {i}");
            }
        })));
        await writer.CompleteAsync();

        var lines = destination.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4000, lines.Length);
        Assert.Equal(4000, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.All(lines, line => Assert.Matches("^thread [0-7] line [0-9]+$", line));
        Assert.Equal(0, writer.Dropped);
    }

    [Fact]
    public async Task AStalledDestinationDropsAndCountsLinesInsteadOfBlocking()
    {
        var destination = new GatedWriter();
        var writer = new BackgroundLineWriter(destination, capacity: 10);

        // The first line is taken by the writer task, which then blocks on the gate: 10 more fill the queue.
        for (var i = 0; i < 100; i++)
        {
            writer.WriteLine($"line {i}");
        }

        var droppedWhileStalled = writer.Dropped;
        destination.Open();
        await writer.CompleteAsync();

        Assert.InRange(droppedWhileStalled, 89, 90);
        Assert.Contains($"vouch: the log did not keep up: {droppedWhileStalled} lines dropped", destination.Text, StringComparison.Ordinal);
    }
}
