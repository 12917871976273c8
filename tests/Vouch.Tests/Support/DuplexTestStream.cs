namespace Vouch.Tests.Support;

/// <summary>
/// A connection for tests: reads come from <paramref name="input"/> (at most <paramref name="chunk"/> bytes per
/// read, to split packets), then end; or, with <see cref="HoldOpen"/>, wait until more is fed. Writes are kept.
/// </summary>
internal sealed class DuplexTestStream(byte[] input, int chunk = int.MaxValue) : Stream
{
    private readonly Lock gate = new();
    private readonly MemoryStream written = new();
    private readonly List<byte> pending = [.. input];
    private TaskCompletionSource more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool ended;
    private bool waiting;

    /// <summary>Keep the input open after it runs dry, until <see cref="End"/>.</summary>
    public bool HoldOpen { get; init; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Whether a read is waiting for input that has not been fed: everything fed so far has been read.</summary>
    public bool WaitingForInput
    {
        get
        {
            lock (gate)
            {
                return waiting && pending.Count == 0;
            }
        }
    }

    /// <summary>Everything written so far.</summary>
    public byte[] Written()
    {
        lock (gate)
        {
            return written.ToArray();
        }
    }

    public void Feed(byte[] bytes)
    {
        lock (gate)
        {
            pending.AddRange(bytes);
            more.TrySetResult();
        }
    }

    public void End()
    {
        lock (gate)
        {
            ended = true;
            more.TrySetResult();
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (pending.Count > 0)
                {
                    waiting = false;
                    var count = Math.Min(Math.Min(chunk, buffer.Length), pending.Count);
                    for (var i = 0; i < count; i++)
                    {
                        buffer.Span[i] = pending[i];
                    }

                    pending.RemoveRange(0, count);
                    return count;
                }

                if (!HoldOpen || ended)
                {
                    return 0;
                }

                waiting = true;
                more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = more.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            written.Write(buffer.Span);
        }

        return ValueTask.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            written.Dispose();
        }

        base.Dispose(disposing);
    }
}
