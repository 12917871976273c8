using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vouch.Cli;

/// <summary>
/// A reusable buffer and JSON writer for one answer line at a time: after the first few lines the buffer
/// has the size of an answer and stops growing, instead of a new buffer grown step by step per line.
/// Not thread-safe; the batch runner lends one to each line, and takes it back once the line is written.
/// </summary>
internal sealed class JsonLineBuffer : IDisposable
{
    // Readable output: '+', '<' and non-ASCII stay as they are; quotes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> buffer = new(2048);
    private readonly Utf8JsonWriter writer;

    public JsonLineBuffer() => writer = new Utf8JsonWriter(buffer, WriterOptions);

    /// <summary>The JSON value last written, as UTF-8.</summary>
    public ReadOnlyMemory<byte> Written => buffer.WrittenMemory;

    /// <summary>Writes one JSON value with <paramref name="write"/> in place of the one before; <see cref="Written"/> holds it.</summary>
    public void Fill<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
    }

    /// <summary>Writes one JSON value with <paramref name="write"/> and returns it as text.</summary>
    public string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        Fill(state, write);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();
}
