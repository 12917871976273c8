using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Vouch.Checks;
using Vouch.Smtp;

namespace Vouch.Cli;

/// <summary>
/// Batch mode: JSON Lines in, JSON Lines out, one answer per input line and in input order. Lines are
/// evaluated concurrently; each answer is written as soon as it and all before it are known, and the
/// output is flushed whenever the next answer is not ready yet, so a caller feeding one line at a time
/// gets its answer at once.
/// </summary>
internal sealed class BatchRunner(SenderChecker checker, BatchStatistics? statistics = null, int maxInFlight = 512)
{
    private readonly ConcurrentQueue<JsonLineBuffer> buffers = new();

    public async Task RunAsync(TextReader input, TextWriter writer, CancellationToken cancellationToken)
    {
        var output = await BatchOutput.ForAsync(writer, cancellationToken);
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
                    await pending.Writer.WriteAsync(AnswerAsync(line, number, readAt, cancellationToken), cancellationToken);
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

            var (line, latency) = await answer;
            await output.WriteLineAsync(line.Written, cancellationToken);
            Return(line);
            statistics?.Record(latency);
        }

        await producer;
        statistics?.Complete();
        await output.FlushAsync(cancellationToken);
        while (buffers.TryDequeue(out var buffer))
        {
            buffer.Dispose();
        }
    }

    private async Task<BatchAnswer> AnswerAsync(string line, int lineNumber, long readAt, CancellationToken cancellationToken)
    {
        // Off the reading loop at once: the rest runs on the thread pool, beside the other lines. (Cheaper
        // than Task.Run, which adds a delegate, a work item and an unwrapping task per line.)
        await Task.Yield();
        var answer = await AnswerLineAsync(line, lineNumber, cancellationToken);
        return new BatchAnswer(answer, Stopwatch.GetElapsedTime(readAt));
    }

    /// <summary>
    /// One line's whole work: read the request, check it, write the answer (or the line's error) as JSON into
    /// a buffer of the runner's, which <see cref="Return"/> takes back once the answer is written.
    /// </summary>
    internal async ValueTask<JsonLineBuffer> AnswerLineAsync(string line, int lineNumber, CancellationToken cancellationToken)
    {
        if (!TryReadRequest(line, out var request, out var problem))
        {
            return Serialize((Line: lineNumber, Problem: problem!), static (writer, error) => JsonReport.WriteError(writer, error.Line, error.Problem));
        }

        try
        {
            return Serialize(await checker.CheckAsync(request!, cancellationToken), JsonReport.Write);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Serialize((Line: lineNumber, Problem: $"internal error: {exception.Message}"), static (writer, error) => JsonReport.WriteError(writer, error.Line, error.Problem));
        }
    }

    /// <summary>Takes back a buffer of <see cref="AnswerLineAsync"/> whose answer has been written.</summary>
    internal void Return(JsonLineBuffer buffer) => buffers.Enqueue(buffer);

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

            if (!CheckRequest.TryParseClient(ip, out var client, out problem))
            {
                return false;
            }

            request = CheckRequest.Create(client!, sender, helo);
            return true;
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

    public static string ToJson(CheckOutcome outcome)
    {
        using var buffer = new JsonLineBuffer();
        return buffer.Write(outcome, JsonReport.Write);
    }

    private JsonLineBuffer Serialize<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        if (!buffers.TryDequeue(out var buffer))
        {
            buffer = new JsonLineBuffer();
        }

        buffer.Fill(state, write);
        return buffer;
    }
}
