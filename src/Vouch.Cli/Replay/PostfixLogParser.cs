using System.Buffers;
using System.Runtime.CompilerServices;

namespace Vouch.Cli.Replay;

/// <summary>
/// Reads Postfix log lines in order and yields one <see cref="ReplayedMessage"/> per message once its sender is
/// known: smtpd's "QUEUEID: client=NAME[ADDR]" begins a message in an smtpd session, qmgr's
/// "QUEUEID: from=&lt;SENDER&gt;, size=…" completes it. Postfix logs the HELO name only on access-action lines
/// (reject, warn, info, hold, … and permit with smtpd_log_access_permit_actions); the latest one of a session
/// is given to that session's messages. Refusals ("NOQUEUE: reject: RCPT from …") are yielded too, one per
/// session and sender, unless the same transaction was then accepted for another recipient.
/// </summary>
/// <remarks>
/// Streaming and bounded: at most <c>maxOpenEntries</c> sessions and as many messages are held at once, the
/// oldest evicted first (counted in <see cref="SessionsEvicted"/> and <see cref="MessagesEvicted"/>). Lines of
/// several hosts or Postfix instances may be mixed: sessions are told apart by host and process id, queue ids
/// by host and instance (the syslog name before the first '/': "postfix", "postfix-out"). Not thread-safe.
/// A line that does not parse is counted, never thrown.
/// </remarks>
public sealed class PostfixLogParser
{
    /// <summary>The default of <c>maxOpenEntries</c>: sessions, and messages, held at once.</summary>
    public const int DefaultMaxOpenEntries = 100_000;

    private const string NoQueue = "NOQUEUE";

    private static readonly SearchValues<char> QueueIdCharacters =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly TimeProvider clock;
    private readonly BoundedTable<(string Host, int Pid), SmtpdSession> sessions;
    private readonly BoundedTable<(string Host, string Instance, string QueueId), OpenMessage> messages;

    /// <summary>Creates a parser that takes year-less syslog times in the current year of <paramref name="clock"/> (its local time zone).</summary>
    /// <param name="clock">The clock for year-less times; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="maxOpenEntries">Sessions held at once, and likewise messages waiting for their sender; default 100,000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOpenEntries"/> is less than 1.</exception>
    public PostfixLogParser(TimeProvider? clock = null, int maxOpenEntries = DefaultMaxOpenEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpenEntries, 1);
        this.clock = clock ?? TimeProvider.System;
        sessions = new(maxOpenEntries);
        messages = new(maxOpenEntries);
    }

    /// <summary>Lines given to <see cref="Feed"/>.</summary>
    public long LinesRead { get; private set; }

    /// <summary>Lines without a syslog prefix, or from a program whose syslog name does not begin with "postfix".</summary>
    public long LinesNotPostfix { get; private set; }

    /// <summary>smtpd, cleanup or qmgr lines of a known kind ("client=", "from=", an access action) that did not parse.</summary>
    public long LinesNotUnderstood { get; private set; }

    /// <summary>Accepted messages yielded.</summary>
    public long MessagesYielded { get; private set; }

    /// <summary>Refusals by Postfix yielded.</summary>
    public long RefusalsYielded { get; private set; }

    /// <summary>
    /// Messages yielded with no HELO: their session logged no access action. Postfix 2.10 and later log one for
    /// every accepted recipient with <c>smtpd_log_access_permit_actions = static:all</c> (postconf(5)).
    /// </summary>
    public long MessagesWithoutHelo { get; private set; }

    /// <summary>Sessions dropped to stay within the bound, never having logged "disconnect from".</summary>
    public long SessionsEvicted { get; private set; }

    /// <summary>Messages dropped to stay within the bound, qmgr never having logged their sender.</summary>
    public long MessagesEvicted { get; private set; }

    /// <summary>Messages still waiting for their sender when <see cref="Finish"/> was called (dropped then).</summary>
    public long MessagesIncomplete { get; private set; }

    /// <summary>Reads one log line (without its line end); returns the messages it completes, usually none.</summary>
    public IReadOnlyList<ReplayedMessage> Feed(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        LinesRead++;
        if (!SyslogLine.TryParse(line, clock.GetLocalNow(), clock.LocalTimeZone, out var syslog)
            || !syslog.Tag.StartsWith("postfix", StringComparison.Ordinal))
        {
            // postmulti(1): secondary instances are named "postfix-…", their syslog_name by default too.
            LinesNotPostfix++;
            return [];
        }

        var slash = syslog.Tag.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return [];
        }

        // The program is the last part: "postfix/smtpd", "postfix/submission/smtpd", "postfix-out/smtpd".
        var program = syslog.Tag.AsSpan(syslog.Tag.LastIndexOf('/') + 1);
        var output = new Output();
        if (program.SequenceEqual("smtpd"))
        {
            FeedSmtpd(syslog, ref output);
        }
        else if (program.SequenceEqual("qmgr"))
        {
            FeedQmgr(syslog, syslog.Tag[..slash], ref output);
        }
        else if (program.SequenceEqual("cleanup"))
        {
            FeedCleanup(syslog, syslog.Tag[..slash], ref output);
        }

        return output.Messages ?? (IReadOnlyList<ReplayedMessage>)[];
    }

    /// <summary>
    /// Ends the log: yields the refusals still held (their sessions never disconnected in the log), counts the
    /// messages still waiting for their sender in <see cref="MessagesIncomplete"/>, and forgets everything.
    /// </summary>
    public IReadOnlyList<ReplayedMessage> Finish()
    {
        var output = new Output();
        foreach (var message in messages.Values)
        {
            MessagesIncomplete++;
            Yield(message.Refusal, ref output);
        }

        foreach (var session in sessions.Values)
        {
            Yield(session.Pending, ref output);
        }

        messages.Clear();
        sessions.Clear();
        return output.Messages ?? (IReadOnlyList<ReplayedMessage>)[];
    }

    /// <summary>Feeds every line of <paramref name="lines"/>, then <see cref="Finish"/>, yielding the messages as they complete.</summary>
    public async IAsyncEnumerable<ReplayedMessage> ParseAsync(IAsyncEnumerable<string> lines, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var message in Feed(line))
            {
                yield return message;
            }
        }

        foreach (var message in Finish())
        {
            yield return message;
        }
    }

    private void FeedSmtpd(SyslogLine syslog, ref Output output)
    {
        var text = syslog.Message;
        var key = (syslog.Host, syslog.Pid);
        if (text.StartsWith("connect from ", StringComparison.Ordinal))
        {
            if (PostfixClient.TryParse(text.AsSpan("connect from ".Length), out var client))
            {
                OpenSession(key, client!, ref output);
            }
            else
            {
                LinesNotUnderstood++;
            }

            return;
        }

        if (text.StartsWith("disconnect from ", StringComparison.Ordinal))
        {
            if (sessions.Remove(key, out var ended))
            {
                Yield(ended.Pending, ref output);
            }

            return;
        }

        if (!TrySplitQueueId(text, out var queueId, out var rest))
        {
            return;
        }

        if (rest.StartsWith("client=", StringComparison.Ordinal))
        {
            // "client=NAME[ADDR]", perhaps followed by ", sasl_method=…" or ", orig_client=…".
            var value = rest.AsSpan("client=".Length);
            var comma = value.IndexOf(',');
            if (queueId == NoQueue || !PostfixClient.TryParse(comma < 0 ? value : value[..comma], out var client))
            {
                LinesNotUnderstood++;
                return;
            }

            var session = Session(key, client!, ref output);
            var message = new OpenMessage(syslog.Time, queueId, session) { Refusal = session.Pending };
            session.Pending = null;
            AddMessage((syslog.Host, Instance(syslog.Tag), queueId), message, ref output);
            return;
        }

        if (!AccessLogLine.TryParse(rest, out var access))
        {
            if (AccessLogLine.HasAction(rest))
            {
                LinesNotUnderstood++;
            }

            return;
        }

        var current = Session(key, access!.Client, ref output);
        current.Helo = access.Helo ?? current.Helo;
        if (!access.Refuses || access.Sender is null)
        {
            return;
        }

        if (queueId == NoQueue)
        {
            if (current.AddRefusedSender(access.Sender))
            {
                Yield(current.Pending, ref output);
                current.Pending = new Refusal(syslog.Time, access.Client, current.Helo, access.Sender, access.Text);
            }
        }
        else if (access.Where is "DATA" or "END-OF-MESSAGE")
        {
            RefuseMessage((syslog.Host, Instance(syslog.Tag), queueId), syslog.Time, access, ref output);
        }
    }

    private void FeedCleanup(SyslogLine syslog, string instance, ref Output output)
    {
        if (!TrySplitQueueId(syslog.Message, out var queueId, out var rest) || queueId == NoQueue
            || !rest.Contains("; from=<", StringComparison.Ordinal))
        {
            return;
        }

        if (!AccessLogLine.TryParse(rest, out var access))
        {
            LinesNotUnderstood++;
            return;
        }

        var key = (syslog.Host, instance, queueId);
        if (messages.TryGetValue(key, out var message))
        {
            message.Session.Helo = access!.Helo ?? message.Session.Helo;
        }

        // A header or body check, or a milter at END-OF-MESSAGE: qmgr will never see the message.
        if (access!.Refuses)
        {
            RefuseMessage(key, syslog.Time, access, ref output);
        }
    }

    private void FeedQmgr(SyslogLine syslog, string instance, ref Output output)
    {
        if (!TrySplitQueueId(syslog.Message, out var queueId, out var rest))
        {
            return;
        }

        const string From = "from=<";
        const string Size = ">, size=";
        if (!rest.StartsWith(From, StringComparison.Ordinal))
        {
            if (rest == "removed")
            {
                messages.Remove((syslog.Host, instance, queueId), out _);
            }

            return;
        }

        // "from=<SENDER>, size=N, nrcpt=N (queue active)": the sender is the client's, so it is found from the end.
        var sizeAt = rest.LastIndexOf(Size, StringComparison.Ordinal);
        if (sizeAt < From.Length || !rest.EndsWith(" (queue active)", StringComparison.Ordinal))
        {
            // Also "from=<S>, status=expired, returned to sender": not the start of a delivery.
            if (sizeAt < From.Length && !rest.Contains(">, status=", StringComparison.Ordinal))
            {
                LinesNotUnderstood++;
            }

            return;
        }

        // A deferred message enters the active queue again on each retry: only the first time is yielded.
        if (!messages.Remove((syslog.Host, instance, queueId), out var message))
        {
            return;
        }

        var sender = rest[From.Length..sizeAt];
        if (message.Refusal is { } refusal && refusal.Sender != sender)
        {
            Yield(refusal, ref output);
        }

        var helo = message.Session.Helo;
        if (helo is null)
        {
            MessagesWithoutHelo++;
        }

        MessagesYielded++;
        var client = message.Session.Client;
        output.Add(new ReplayedMessage(message.Time, message.QueueId, client.Address, client.Name, helo, sender, false, null));
    }

    private void RefuseMessage((string Host, string Instance, string QueueId) key, DateTimeOffset time, AccessLogLine access, ref Output output)
    {
        var refusal = new Refusal(time, access.Client, access.Helo, access.Sender ?? "", access.Text);
        if (messages.Remove(key, out var message))
        {
            if (message.Refusal is { } earlier && earlier.Sender != refusal.Sender)
            {
                Yield(earlier, ref output);
            }

            refusal = refusal with { Time = message.Time, Helo = access.Helo ?? message.Session.Helo };
        }

        RefusalsYielded++;
        output.Add(new ReplayedMessage(refusal.Time, key.QueueId, refusal.Client.Address, refusal.Client.Name, refusal.Helo, refusal.Sender, true, refusal.Reply));
    }

    private void Yield(Refusal? refusal, ref Output output)
    {
        if (refusal is null)
        {
            return;
        }

        RefusalsYielded++;
        output.Add(new ReplayedMessage(refusal.Time, NoQueue, refusal.Client.Address, refusal.Client.Name, refusal.Helo, refusal.Sender, true, refusal.Reply));
    }

    private void OpenSession((string Host, int Pid) key, PostfixClient client, ref Output output)
    {
        // A "connect from" on a process whose session is still open: that session's disconnect line was lost.
        if (sessions.Remove(key, out var previous))
        {
            Yield(previous.Pending, ref output);
        }

        var session = new SmtpdSession(client);
        if (sessions.Add(key, session, out var evicted))
        {
            SessionsEvicted++;
            Yield(evicted.Pending, ref output);
        }
    }

    /// <summary>The open session of <paramref name="key"/>; one is opened if the log began after its "connect from".</summary>
    private SmtpdSession Session((string Host, int Pid) key, PostfixClient client, ref Output output)
    {
        if (sessions.TryGetValue(key, out var session) && session.Client.Address == client.Address)
        {
            return session;
        }

        OpenSession(key, client, ref output);
        return sessions.TryGetValue(key, out session) ? session : throw new InvalidOperationException("a session just opened is missing");
    }

    private void AddMessage((string Host, string Instance, string QueueId) key, OpenMessage message, ref Output output)
    {
        if (messages.Add(key, message, out var evicted))
        {
            MessagesEvicted++;
            Yield(evicted.Refusal, ref output);
        }
    }

    private static string Instance(string tag) => tag[..tag.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>Splits "QUEUEID: rest"; a queue id is NOQUEUE or letters and digits (short hex ids, or long ids with enable_long_queue_ids).</summary>
    private static bool TrySplitQueueId(string text, out string queueId, out string rest)
    {
        queueId = "";
        rest = "";
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon is < 5 or > 32 || text.AsSpan(0, colon).ContainsAnyExcept(QueueIdCharacters))
        {
            return false;
        }

        queueId = text[..colon];
        rest = text[(colon + 2)..];
        return true;
    }

    /// <summary>The messages one call yields; most calls yield none, and allocate nothing for them.</summary>
    private struct Output
    {
        public List<ReplayedMessage>? Messages { get; private set; }

        public void Add(ReplayedMessage message) => (Messages ??= []).Add(message);
    }
}
