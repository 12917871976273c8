using System.Text;
using System.Threading.Channels;

namespace Vouch.Server;

/// <summary>
/// A log writer that never makes a request wait on its destination: lines are queued and written by one
/// background task, which flushes whenever the queue runs empty (so a quiet service logs at once and a busy
/// one writes in batches). When the destination stalls and the queue is full, new lines are dropped and
/// counted; the count is logged once the destination moves again.
/// </summary>
public sealed class BackgroundLineWriter : TextWriter
{
    private readonly Channel<string> lines;
    private readonly TextWriter destination;
    private readonly Task writing;
    private long dropped;

    /// <summary>Starts the background writer.</summary>
    /// <param name="destination">Where lines go (e.g. stderr); written by one task only.</param>
    /// <param name="capacity">Lines queued at most before new ones are dropped.</param>
    public BackgroundLineWriter(TextWriter destination, int capacity = 65_536)
    {
        this.destination = destination ?? throw new ArgumentNullException(nameof(destination));
        lines = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite }, _ => Interlocked.Increment(ref dropped));
        writing = Task.Run(WriteAllAsync);
    }

    /// <inheritdoc/>
    public override Encoding Encoding => destination.Encoding;

    /// <summary>Lines dropped so far because the destination did not keep up.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <inheritdoc/>
    public override void WriteLine(string? value) => lines.Writer.TryWrite(value ?? "");

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Only whole lines are logged here; a bare character is queued as a line of its own.</remarks>
    public override void Write(char value) => WriteLine(value.ToString());

    /// <inheritdoc/>
    public override void Write(string? value) => WriteLine(value);

    /// <summary>Stops taking lines and waits until every queued line is written and flushed.</summary>
    public async Task CompleteAsync()
    {
        lines.Writer.TryComplete();
        await writing.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        lines.Writer.TryComplete();
        base.Dispose(disposing);
    }

    private async Task WriteAllAsync()
    {
        var reader = lines.Reader;
        var reportedDropped = 0L;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var line))
            {
                await destination.WriteLineAsync(line).ConfigureAwait(false);
            }

            var droppedNow = Dropped;
            if (droppedNow != reportedDropped)
            {
                await destination.WriteLineAsync($"vouch: the log did not keep up: {droppedNow - reportedDropped} lines dropped").ConfigureAwait(false);
                reportedDropped = droppedNow;
            }

            await destination.FlushAsync().ConfigureAwait(false);
        }
    }
}
