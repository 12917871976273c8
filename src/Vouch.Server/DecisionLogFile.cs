using System.Text;

namespace Vouch.Server;

/// <summary>
/// The decision log file (<c>[server] decision_log</c>): lines appended, and the file rotated by size before it
/// would pass <c>decision_log_rotate_mb</c> (FILE → FILE.1 → FILE.2 …, <c>decision_log_keep</c> kept). Written by
/// one <see cref="BackgroundLineWriter"/> task; <see cref="Configure"/> may be called from another thread (a
/// reload). A file that cannot be opened or written loses its lines, counted and told once to <c>problems</c>,
/// never failing a request.
/// </summary>
public sealed class DecisionLogFile : TextWriter
{
    private readonly Lock gate = new();
    private readonly Action<string> problems;
    private FileStream? stream;
    private string? path;
    private long maxBytes;
    private int keep;
    private bool failing;
    private long lost;

    /// <summary>A file writer that writes nothing until <see cref="Configure"/> gives it a path.</summary>
    /// <param name="problems">Told when the file cannot be opened, written or rotated, and when it works again.</param>
    public DecisionLogFile(Action<string> problems)
    {
        this.problems = problems ?? throw new ArgumentNullException(nameof(problems));
    }

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Lines lost because the file could not be written.</summary>
    public long Lost => Interlocked.Read(ref lost);

    /// <summary>The file in use, or null.</summary>
    public string? Path
    {
        get
        {
            lock (gate)
            {
                return path;
            }
        }
    }

    /// <summary>Where lines go from now on and when the file rotates; a new path closes the old file.</summary>
    /// <param name="newPath">The file, or null for none.</param>
    /// <param name="rotateBytes">Rotate before the file grows past this.</param>
    /// <param name="rotatedKept">Rotated files kept.</param>
    public void Configure(string? newPath, long rotateBytes, int rotatedKept)
    {
        lock (gate)
        {
            maxBytes = rotateBytes;
            keep = rotatedKept;
            if (newPath == path)
            {
                return;
            }

            stream?.Dispose();
            stream = null;
            path = newPath;
            failing = false;
        }
    }

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        var bytes = Encoding.UTF8.GetBytes((value ?? "") + "\n");
        lock (gate)
        {
            if (path is null)
            {
                return;
            }

            try
            {
                stream ??= Open(path);
                if (stream.Length > 0 && stream.Length + bytes.Length > maxBytes)
                {
                    Rotate(path);
                }

                stream.Write(bytes);
                if (failing)
                {
                    failing = false;
                    problems($"vouch: the decision log {path} is written again ({Lost} lines lost)");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref lost);
                stream?.Dispose();
                stream = null;
                if (!failing)
                {
                    failing = true;
                    problems($"vouch: cannot write the decision log {path}: {e.Message}; its lines are lost until it can");
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value) => WriteLine(value);

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        lock (gate)
        {
            try
            {
                stream?.Flush();
            }
            catch (IOException)
            {
                // The next write reopens the file and says what is wrong.
                stream?.Dispose();
                stream = null;
            }
        }
    }

    /// <inheritdoc/>
    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                stream?.Dispose();
                stream = null;
                path = null;
            }
        }

        base.Dispose(disposing);
    }

    private static FileStream Open(string file) => new(file, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);

    private void Rotate(string file)
    {
        stream!.Dispose();
        stream = null;
        if (keep == 0)
        {
            File.Delete(file);
        }
        else
        {
            File.Delete($"{file}.{keep}");
            for (var i = keep - 1; i >= 1; i--)
            {
                if (File.Exists($"{file}.{i}"))
                {
                    File.Move($"{file}.{i}", $"{file}.{i + 1}");
                }
            }

            File.Move(file, $"{file}.1");
        }

        stream = Open(file);
    }
}
