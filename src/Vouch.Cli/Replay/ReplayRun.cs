using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Vouch.Checks;
using Vouch.DecisionLog;
using Vouch.Policy;
using Vouch.Smtp;

namespace Vouch.Cli.Replay;

/// <summary>
/// <c>vouch replay</c>: the messages of Postfix logs checked now, through the DNS, many at once, and written as
/// decision lines (<c>front_end: "replay"</c>, the message's time) in the log's order, for <c>vouch rollout</c>.
/// </summary>
internal sealed class ReplayRun(SenderChecker checker, TextReader standardInput, int maxInFlight = 64)
{
    /// <summary>Checks every message of <paramref name="sources"/> and writes a decision line for each to <paramref name="output"/>; a summary goes to <paramref name="error"/>.</summary>
    public async Task RunAsync(IReadOnlyList<string> sources, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        LogLines.CheckReadable(sources);
        var lines = new LogLines(standardInput);
        var parser = new PostfixLogParser();
        var pending = Channel.CreateBounded<Task<string>>(new BoundedChannelOptions(maxInFlight) { SingleReader = true, SingleWriter = true });
        var written = 0L;
        var refusedByPostfix = 0L;
        await LogProgress.RunAsync("replaying the Postfix log", LogLines.TotalBytes(sources), () => lines.BytesRead, async () =>
        {
            var producer = Task.Run(async () =>
            {
                try
                {
                    await foreach (var message in parser.ParseAsync(lines.ReadAsync(sources, cancellationToken), cancellationToken))
                    {
                        refusedByPostfix += message.RefusedByPostfix ? 1 : 0;
                        await pending.Writer.WriteAsync(DecideAsync(message, cancellationToken), cancellationToken);
                    }
                }
                finally
                {
                    pending.Writer.Complete();
                }
            }, cancellationToken);

            // In the log's order, each line as soon as it and every line before it are decided.
            await foreach (var line in pending.Reader.ReadAllAsync(cancellationToken))
            {
                await output.WriteLineAsync(await line);
                written++;
            }

            await producer;
        });

        await output.FlushAsync(cancellationToken);
        await error.WriteLineAsync(
            $"vouch replay: {written} messages checked now ({refusedByPostfix} of them refused by Postfix itself) from {parser.LinesRead} log lines"
            + (parser.MessagesWithoutHelo > 0 ? $"; {parser.MessagesWithoutHelo} without a HELO in the log, checked without one (smtpd_log_access_permit_actions = static:all makes Postfix log it)" : "")
            + (parser.MessagesIncomplete + parser.MessagesEvicted > 0 ? $"; {parser.MessagesIncomplete + parser.MessagesEvicted} queue ids never got their sender in the log" : "")
            + ". The DNS today may differ from the DNS at delivery. Read the lines with: vouch rollout FILE");
    }

    private async Task<string> DecideAsync(ReplayedMessage message, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var answer = message.RefusedByPostfix ? $"refused by Postfix: {message.PostfixReply}" : "accepted by Postfix";
        var configuration = checker.Configuration.Identity;
        if (!IPAddress.TryParse(message.ClientAddress, out var address))
        {
            var decision = PolicyEngine.DecideUnreadable($"the logged client address is unreadable ({message.ClientAddress})", checker.Configuration.Policy, message.Time);
            return DecisionRecordJson.Format(DecisionRecord.Of(message.Time, "replay", configuration, message.QueueId, message.ClientAddress, message.Helo ?? "", message.Sender, decision, null, answer, null));
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = await checker.CheckAsync(CheckRequest.Create(address, message.Sender, message.Helo), cancellationToken);
        return DecisionRecordJson.Format(DecisionRecord.Of(
            message.Time, "replay", configuration, message.QueueId, message.ClientAddress, message.Helo ?? "", message.Sender, outcome.Decision, outcome.Evidence, answer, Stopwatch.GetElapsedTime(started)));
    }
}
