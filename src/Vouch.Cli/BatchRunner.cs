using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Vouch.Checks;

namespace Vouch.Cli;

/// <summary>
/// Batch mode: JSON Lines in, JSON Lines out, one answer per input line and in input order. Lines are
/// evaluated concurrently; each answer is written as soon as it and all before it are known, and the
/// output is flushed whenever the next answer is not ready yet, so a caller feeding one line at a time
/// gets its answer at once.
/// </summary>
internal sealed class BatchRunner(SenderChecker checker, BatchStatistics? statistics = null, int maxInFlight = 512)
{
    public async Task RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<Task<BatchAnswer>>(new BoundedChannelOptions(maxInFlight) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                var lineNumber = 0;
                while (await input.ReadLineAsync(cancellationToken) is { } line)
                {
                    lineNumber++;
                    var number = lineNumber;
                    var readAt = Stopwatch.GetTimestamp();
                    await pending.Writer.WriteAsync(Task.Run(() => AnswerAsync(line, number, readAt, cancellationToken), cancellationToken), cancellationToken);
                }
            }
            finally
            {
                pending.Writer.Complete();
            }
        }, cancellationToken);

        var reader = pending.Reader;
        while (true)
        {
            if (!reader.TryRead(out var answer))
            {
                await output.FlushAsync(cancellationToken);
                if (!await reader.WaitToReadAsync(cancellationToken))
                {
                    break;
                }

                continue;
            }

            if (!answer.IsCompleted)
            {
                await output.FlushAsync(cancellationToken);
            }

            var (json, latency) = await answer;
            await output.WriteLineAsync(json);
            statistics?.Record(latency);
        }

        await producer;
        statistics?.Complete();
        await output.FlushAsync(cancellationToken);
    }

    private async Task<BatchAnswer> AnswerAsync(string line, int lineNumber, long readAt, CancellationToken cancellationToken)
    {
        string json;
        if (!TryReadRequest(line, out var request, out var problem))
        {
            json = ErrorJson(lineNumber, problem!);
        }
        else
        {
            try
            {
                json = ToJson(await checker.CheckAsync(request!, cancellationToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                json = ErrorJson(lineNumber, $"internal error: {exception.Message}");
            }
        }

        return new BatchAnswer(json, Stopwatch.GetElapsedTime(readAt));
    }

    /// <summary>Reads one input line: a JSON object with string fields ip, helo and (optional, "" for a bounce) sender.</summary>
    internal static bool TryReadRequest(string line, out CheckRequest? request, out string? problem)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException exception)
        {
            problem = $"not JSON: {exception.Message}";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"expected a JSON object {{\"ip\",\"sender\",\"helo\"}}, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}";
                return false;
            }

            if (!TryGetString(document.RootElement, "ip", out var ip, out problem) ||
                !TryGetString(document.RootElement, "sender", out var sender, out problem) ||
                !TryGetString(document.RootElement, "helo", out var helo, out problem))
            {
                return false;
            }

            return CheckRequest.TryCreate(ip, sender, helo, out request, out problem);
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            problem = $"{name}: expected a string, got {property.ValueKind.ToString().ToLowerInvariant()}";
            return false;
        }

        value = property.GetString();
        return true;
    }

    // Readable output: '+', '<' and non-ASCII stay as they are; quotes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(CheckOutcome outcome) => Serialize(writer => JsonReport.Write(writer, outcome));

    private static string ErrorJson(int lineNumber, string problem) => Serialize(writer => JsonReport.WriteError(writer, lineNumber, problem));

    private static string Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
