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

    /// <summary>
    /// Every line of <paramref name="sources"/> as UTF-8 bytes, without its line end, in order: what
    /// <c>vouch rollout</c> reads, without a string per line. A line's memory is valid until the next one is asked for.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadUtf8Async(IReadOnlyList<string> sources, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var encoded = new byte[4096];
        foreach (var source in sources)
        {
            if (source == "-")
            {
                while (await standardInput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    var length = Encoding.UTF8.GetMaxByteCount(line.Length);
                    if (encoded.Length < length)
                    {
                        encoded = new byte[Math.Max(length, encoded.Length * 2)];
                    }

                    yield return encoded.AsMemory(0, Encoding.UTF8.GetBytes(line, encoded));
                }

                continue;
            }

            var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                var magic = new byte[2];
                var gzip = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
                file.Position = 0;
                var content = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;
                await using (content.ConfigureAwait(false))
                {
                    var pipe = PipeReader.Create(content, new StreamPipeReaderOptions(bufferSize: 1 << 16, minimumReadSize: 1 << 15, leaveOpen: true));
                    var reported = 0L;
                    var joined = Array.Empty<byte>();
                    while (true)
                    {
                        var read = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                        var buffer = read.Buffer;
                        while (TryTakeLine(ref buffer, out var line))
                        {
                            if (line.IsSingleSegment)
                            {
                                yield return WithoutReturn(line.First);
                            }
                            else
                            {
                                // A line across two of the pipe's segments: copied once into one array.
                                if (joined.Length < line.Length)
                                {
                                    joined = new byte[Math.Max(line.Length, joined.Length * 2)];
                                }

                                line.CopyTo(joined);
                                yield return WithoutReturn(joined.AsMemory(0, (int)line.Length));
                            }
                        }

                        if (read.IsCompleted)
                        {
                            if (!buffer.IsEmpty)
                            {
                                var last = buffer.ToArray();
                                yield return WithoutReturn(last);
                            }

                            break;
                        }

                        pipe.AdvanceTo(buffer.Start, buffer.End);
                        Interlocked.Add(ref bytesRead, file.Position - reported);
                        reported = file.Position;
                    }

                    await pipe.CompleteAsync().ConfigureAwait(false);
                    Interlocked.Add(ref bytesRead, file.Length - reported);
                }
            }
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private static ReadOnlyMemory<byte> WithoutReturn(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>Yields the lines of <paramref name="stream"/>, gunzipped when it begins with the gzip magic bytes; the caller disposes the stream.</summary>
    /// <exception cref="InvalidDataException">The data begins like gzip but is not valid gzip.</exception>
    public static async IAsyncEnumerable<string> ReadLinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream text;
        bool gzip;
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var magic = new byte[2];
            gzip = await stream.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            stream.Position = start;
            text = stream;
        }
        else
        {
            // A pipe lets the first bytes be looked at and left unread on a stream that cannot seek (standard input).
            var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
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

            text = pipe.AsStream(leaveOpen: false);
        }

        // The caller's stream stays open; the pipe's stream over it (and a GZipStream over either) is ours.
        var ours = !ReferenceEquals(text, stream);
        var source = gzip ? new GZipStream(text, CompressionMode.Decompress, leaveOpen: !ours) : text;
        try
        {
            // A large buffer: through the pipe with the default one, reading lines of 1.5 KB took two thirds of rollout's time.
            using var reader = new StreamReader(source, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                yield return line;
            }
        }
        finally
        {
            if (gzip || ours)
            {
                await source.DisposeAsync().ConfigureAwait(false);
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
