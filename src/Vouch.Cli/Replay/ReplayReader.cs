using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vouch.Cli.Replay;

/// <summary>Reads a log's lines: a file or standard input, plain or gzip-compressed (rotated logs, "mail.log.2.gz").</summary>
public static class ReplayReader
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>
    /// Yields the lines of <paramref name="path"/> ("-" for standard input), without their line ends. Gzip is
    /// recognised by its magic bytes (1f 8b, RFC 1952 §2.3.1), whatever the name; anything else is read as it is.
    /// Text is read as UTF-8, invalid bytes becoming U+FFFD (a log holds clients' bytes).
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened or read (FileNotFoundException, and so on).</exception>
    /// <exception cref="InvalidDataException">The data begins like gzip but is not valid gzip.</exception>
    public static async IAsyncEnumerable<string> ReadLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = path == StandardInput
            ? Console.OpenStandardInput()
            : new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in ReadLinesAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return line;
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
