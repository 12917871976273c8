using System.Diagnostics;
using System.Net.Sockets;

namespace Vouch.PolicyLoad;

/// <summary>
/// One connection to the policy server, used as Postfix uses it: write a request, read its answer
/// (<c>action=…</c> and an empty line), then the next request; one request in flight. The latency of a
/// request runs from just before its first byte is written to just after its answer's last byte is read.
/// Request bytes are written into one reused buffer and answers read into another, so the client costs
/// little per request and does not become the bottleneck. With <see cref="LoadOptions.Messages"/>, each claimed
/// number is a message: its RCPT, DATA and END-OF-MESSAGE requests in turn, timed from the first byte of the
/// RCPT request to the last byte of the END-OF-MESSAGE answer; the RCPT answer is the one classified, and a
/// DATA answer that prepends is counted as a ticket.
/// </summary>
internal sealed class PolicyClientConnection(Socket socket, LoadRun run)
{
    private readonly byte[] request = new byte[run.Workload.MaxRequestBytes];
    private readonly byte[] answer = new byte[64 * 1024];

    /// <summary>Sends requests claimed from the run until it has none left, then closes the connection.</summary>
    /// <exception cref="IOException">The server closed the connection or answered something that is not a policy answer.</exception>
    /// <exception cref="SocketException">The connection failed.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using (socket)
        {
            while (run.TryClaim(out var number))
            {
                var started = Stopwatch.GetTimestamp();
                var kind = await ExchangeAsync(number, MessageStep.Rcpt, cancellationToken);
                if (run.Messages)
                {
                    if (await ExchangeAsync(number, MessageStep.Data, cancellationToken) == AnswerKind.Prepend)
                    {
                        run.CountTicket();
                    }

                    await ExchangeAsync(number, MessageStep.EndOfMessage, cancellationToken);
                }

                run.Complete(number, Stopwatch.GetTimestamp() - started, kind);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
    }

    private async Task<AnswerKind> ExchangeAsync(long number, MessageStep step, CancellationToken cancellationToken)
    {
        var length = run.Workload.Write(number, step, request);
        var sent = 0;
        while (sent < length)
        {
            sent += await socket.SendAsync(request.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken);
        }

        return await ReceiveAnswerAsync(number, cancellationToken);
    }

    private async Task<AnswerKind> ReceiveAnswerAsync(long number, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            if (filled == answer.Length)
            {
                throw new IOException($"request {number}: answer longer than {answer.Length} bytes without an empty line");
            }

            var read = await socket.ReceiveAsync(answer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"request {number}: the server closed the connection{(filled > 0 ? " in the middle of an answer" : "")}");
            }

            // The answer ends with an empty line; one request is in flight, so nothing may follow it.
            var searchFrom = Math.Max(0, filled - 1);
            filled += read;
            var end = answer.AsSpan(searchFrom, filled - searchFrom).IndexOf("\n\n"u8);
            if (end < 0)
            {
                continue;
            }

            if (searchFrom + end + 2 != filled)
            {
                throw new IOException($"request {number}: bytes after the answer's empty line");
            }

            return Classify(answer.AsSpan(0, filled), number);
        }
    }

    private static ReadOnlySpan<byte> ActionPrefix => "action="u8;

    private static AnswerKind Classify(ReadOnlySpan<byte> text, long number)
    {
        if (!text.StartsWith(ActionPrefix))
        {
            throw new IOException($"request {number}: expected 'action=…', got '{System.Text.Encoding.ASCII.GetString(text[..Math.Min(text.Length, 60)])}'");
        }

        var action = text[ActionPrefix.Length..];
        return action switch
        {
            _ when action.StartsWith("DUNNO"u8) => AnswerKind.Dunno,
            _ when action.StartsWith("PREPEND"u8) => AnswerKind.Prepend,
            [(byte)'4', ..] => AnswerKind.Defer,
            _ when action.StartsWith("DEFER"u8) => AnswerKind.Defer,
            [(byte)'5', ..] => AnswerKind.Reject,
            _ when action.StartsWith("REJECT"u8) => AnswerKind.Reject,
            _ => AnswerKind.Other,
        };
    }
}
