using System.Text;

namespace Vouch.Cli;

/// <summary>
/// Where batch answers go, as the UTF-8 bytes the JSON writer made. Under a UTF-8 <see cref="StreamWriter"/>
/// (stdout, a file, a pipe) the bytes go to its stream through a 64 KiB buffer of this output's own, neither decoded to
/// text nor encoded again; any other writer gets them as text. Either way each answer ends with the writer's
/// <see cref="TextWriter.NewLine"/>. One writer at a time.
/// </summary>
internal sealed class BatchOutput
{
    private readonly TextWriter writer;
    private readonly Stream? stream;
    private readonly byte[] newLine;
    private readonly byte[] pending;
    private int pendingLength;
    private char[] characters = [];

    private BatchOutput(TextWriter writer, Stream? stream)
    {
        this.writer = writer;
        this.stream = stream;
        newLine = Encoding.UTF8.GetBytes(writer.NewLine);
        pending = stream is null ? [] : new byte[1 << 16];
    }

    /// <summary>The output for <paramref name="writer"/>; what it holds already is flushed first, so that it stays first.</summary>
    public static async Task<BatchOutput> ForAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer is StreamWriter { Encoding: UTF8Encoding encoding } streamWriter && encoding.Preamble.Length == 0)
        {
            await streamWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new BatchOutput(writer, streamWriter.BaseStream);
        }

        return new BatchOutput(writer, null);
    }

    /// <summary>Writes one answer, <paramref name="utf8"/>, and a line end.</summary>
    public async ValueTask WriteLineAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (stream is not null)
        {
            if (pendingLength + utf8.Length + newLine.Length > pending.Length)
            {
                await WritePendingAsync(cancellationToken).ConfigureAwait(false);
                if (utf8.Length + newLine.Length > pending.Length)
                {
                    await stream.WriteAsync(utf8, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync(newLine, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            utf8.Span.CopyTo(pending.AsSpan(pendingLength));
            pendingLength += utf8.Length;
            newLine.CopyTo(pending.AsSpan(pendingLength));
            pendingLength += newLine.Length;
            return;
        }

        var length = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (characters.Length < length)
        {
            characters = new char[Math.Max(length, 2 * characters.Length)];
        }

        var written = Encoding.UTF8.GetChars(utf8.Span, characters);
        await writer.WriteLineAsync(characters.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is buffered on.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await WritePendingAsync(cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WritePendingAsync(CancellationToken cancellationToken)
    {
        if (pendingLength > 0)
        {
            await stream!.WriteAsync(pending.AsMemory(0, pendingLength), cancellationToken).ConfigureAwait(false);
            pendingLength = 0;
        }
    }
}
