using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vouch.Cli;

/// <summary>
/// The lines of log inputs, streamed: files (gzip recognised by its magic bytes, read as is: rotated logs,
/// "decisions.jsonl.3.gz", "mail.log.2.gz") or "-" for the standard input (<c>journalctl -o cat</c>). Text is read
/// as UTF-8, invalid bytes becoming U+FFFD (a log holds clients' bytes). Counts the bytes of files read, for a
/// progress bar. Used by <c>vouch rollout</c> and <c>vouch replay</c>.
/// </summary>
internal sealed class LogLines(TextReader standardInput)
{
    private long bytesRead;

    /// <summary>Bytes of the input files read so far (compressed bytes for gzip).</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>The size of every input file that exists, for a progress bar's total; 0 when one is the standard input.</summary>
    public static long TotalBytes(IReadOnlyList<string> sources) =>
        sources.Any(s => s == "-") ? 0 : sources.Sum(s => File.Exists(s) ? new FileInfo(s).Length : 0);

    /// <summary>
    /// Checks that every input can be opened before anything is read, so that a mistyped path is a usage error
    /// and not a half-written report.
    /// </summary>
    /// <exception cref="UsageException">A file is missing or unreadable.</exception>
    public static void CheckReadable(IReadOnlyList<string> sources)
    {
        foreach (var source in sources)
        {
            if (source == "-")
            {
                continue;
            }

            try
            {
                using var probe = File.OpenRead(source);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"{source}: cannot read the file: {e.Message}");
            }
        }
    }

    /// <summary>Every line of <paramref name="sources"/>, in order.</summary>
    public async IAsyncEnumerable<string> ReadAsync(IReadOnlyList<string> sources, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            if (source == "-")
            {
                while (await standardInput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    yield return line;
                }

                continue;
            }

            var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                var reported = 0L;
                await foreach (var line in ReadLinesAsync(file, cancellationToken).ConfigureAwait(false))
                {
                    // The reader reads ahead of the lines it gives: the position is a progress bar's, not an offset.
                    var position = file.Position;
                    Interlocked.Add(ref bytesRead, position - reported);
                    reported = position;
                    yield return line;
                }

                Interlocked.Add(ref bytesRead, file.Length - reported);
            }
        }
    }

    /// <summary>Yields the lines of <paramref name="stream"/>, gunzipped when it begins with the gzip magic bytes; the caller disposes the stream.</summary>
    /// <exception cref="InvalidDataException">The data begins like gzip but is not valid gzip.</exception>
    public static async IAsyncEnumerable<string> ReadLinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // A pipe lets the first bytes be looked at and left unread, also on standard input (which cannot seek).
        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var gzip = false;
        while (true)
        {
            var read = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length >= 2 || read.IsCompleted)
            {
                gzip = IsGzipMagic(read.Buffer);
                pipe.AdvanceTo(read.Buffer.Start);
                break;
            }

            pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var text = pipe.AsStream(leaveOpen: false);
        var source = gzip ? new GZipStream(text, CompressionMode.Decompress) : text;
        await using (source.ConfigureAwait(false))
        {
            using var reader = new StreamReader(source, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                yield return line;
            }
        }
    }

    private static bool IsGzipMagic(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 2)
        {
            return false;
        }

        Span<byte> first = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(first);
        return first[0] == 0x1f && first[1] == 0x8b;
    }
}
