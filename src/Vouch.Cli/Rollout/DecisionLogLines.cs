using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vouch.Cli.Rollout;

/// <summary>
/// The lines of log inputs, streamed: files (gzip recognised by its magic bytes, read as is) or "-" for the
/// standard input (<c>journalctl -o cat</c>). Counts the bytes of files read, for a progress bar.
/// </summary>
internal sealed class DecisionLogLines(TextReader standardInput)
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

            await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            var magic = new byte[2];
            var gzip = await file.ReadAsync(magic, cancellationToken).ConfigureAwait(false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            await using (content.ConfigureAwait(false))
            {
                using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16);
                var reported = 0L;
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    var position = file.Position;
                    Interlocked.Add(ref bytesRead, position - reported);
                    reported = position;
                    yield return line;
                }

                Interlocked.Add(ref bytesRead, file.Length - reported);
            }
        }
    }
}
