using System.Text;

namespace Vouch.Tests.Support;

/// <summary>A text writer whose writes wait until the test opens it: a stalled log destination.</summary>
internal sealed class GatedWriter : TextWriter
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    public void Open() => gate.TrySetResult();

    public override async Task WriteLineAsync(string? value)
    {
        await gate.Task;
        lock (text)
        {
            text.Append(value).Append('\n');
        }
    }

    public override Task FlushAsync() => Task.CompletedTask;
}
