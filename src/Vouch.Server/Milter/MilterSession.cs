using System.Buffers.Binary;
using Vouch.Configuration;
using Vouch.Text;

namespace Vouch.Server.Milter;

/// <summary>
/// One MTA connection's side of the milter protocol: negotiation, the macros, the connection's client and HELO,
/// and one transaction at a time (MAIL to the end of the message, or an abort). Decides once per transaction, at
/// the first recipient or at the end of the message; answers exactly the events the negotiation says it
/// answers, never a macro, an abort or a quit. At the end of the message it deletes forged
/// Authentication-Results from the highest index down, then inserts its headers at the very top.
/// </summary>
/// <param name="judge">Decides each message.</param>
/// <param name="options">The milter's settings (when to decide, the authserv-id looked for, the progress interval).</param>
/// <param name="authservId">Our authserv-id: Authentication-Results carrying it were not written by us.</param>
/// <param name="timeProvider">The clock for progress packets and the transaction's age.</param>
/// <param name="log">Where the line saying what was done to each message goes (with the queue id, which Postfix gives only after the first recipient); null means nowhere.</param>
/// <param name="metrics">Counts the forged results removed; null means none.</param>
public sealed class MilterSession(IMilterJudge judge, MilterOptions options, string authservId, TimeProvider timeProvider, TextWriter? log = null, PolicyMetrics? metrics = null)
{
    private const string ResultsField = "Authentication-Results";

    private readonly IMilterJudge judge = judge ?? throw new ArgumentNullException(nameof(judge));
    private readonly MilterOptions options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly string authservId = authservId ?? throw new ArgumentNullException(nameof(authservId));
    private readonly TimeProvider timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    private readonly TextWriter log = log ?? TextWriter.Null;

    // The latest macro values the MTA sent for each event, by the event's command byte.
    private readonly Dictionary<MilterCommand, Dictionary<string, string>> macros = [];

    // The 1-based indexes (among the Authentication-Results fields seen) of those carrying our authserv-id.
    private readonly List<uint> forgedResults = [];

    private string connectAddress = "";
    private string? helo;
    private string? sender;
    private long? transactionStarted;
    private uint resultsSeen;
    private MilterVerdict? verdict;

    /// <summary>What was agreed with the MTA; null before SMFIC_OPTNEG.</summary>
    public MilterNegotiation? Negotiated { get; private set; }

    /// <summary>How long the current transaction has lasted; null between transactions.</summary>
    public TimeSpan? TransactionAge => transactionStarted is { } started ? timeProvider.GetElapsedTime(started) : null;

    /// <summary>
    /// Handles one packet and adds the answer it needs, if any, to <paramref name="writer"/> (progress packets
    /// during a long check are sent at once). False when the MTA said quit.
    /// </summary>
    /// <exception cref="MilterProtocolException">The packet breaks the protocol.</exception>
    public async ValueTask<bool> HandleAsync(MilterPacket packet, MilterPacketWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var data = packet.Data;
        if (packet.Command == MilterCommand.Negotiate)
        {
            Negotiate(data.Span, writer);
            return true;
        }

        if (packet.Command == MilterCommand.Quit)
        {
            return false;
        }

        if (Negotiated is null)
        {
            throw new MilterProtocolException($"command {Describe(packet.Command)} before the negotiation");
        }

        switch (packet.Command)
        {
            case MilterCommand.Macro:
                if (data.Length > 0)
                {
                    // Never answered; any event byte, any number of pairs, none included.
                    macros[(MilterCommand)data.Span[0]] = Pairs(data.Span[1..]);
                }

                return true;
            case MilterCommand.Connect:
                ResetConnection(keepMacrosOf: MilterCommand.Connect);
                connectAddress = MilterData.Connect(data.Span).Address;
                Answer(writer, MilterProtocolOptions.NoReplyToConnect);
                return true;
            case MilterCommand.Helo:
                // May come again (EHLO after STARTTLS): the latest counts.
                helo = MilterData.FirstString(data.Span);
                Answer(writer, MilterProtocolOptions.NoReplyToHelo);
                return true;
            case MilterCommand.Mail:
                ResetTransaction(keepMacrosOf: MilterCommand.Mail);
                sender = MilterData.FirstString(data.Span);
                transactionStarted = timeProvider.GetTimestamp();
                Answer(writer, MilterProtocolOptions.NoReplyToMail);
                return true;
            case MilterCommand.Recipient:
                await RecipientAsync(writer, cancellationToken).ConfigureAwait(false);
                return true;
            case MilterCommand.Header:
                Header(data.Span);
                Answer(writer, MilterProtocolOptions.NoReplyToHeader);
                return true;
            case MilterCommand.EndOfHeaders:
                Answer(writer, MilterProtocolOptions.NoReplyToEndOfHeaders);
                return true;
            case MilterCommand.Data:
                Answer(writer, MilterProtocolOptions.NoReplyToData);
                return true;
            case MilterCommand.Unknown:
                Answer(writer, MilterProtocolOptions.NoReplyToUnknown);
                return true;
            case MilterCommand.Body:
                if ((Negotiated.Protocol & MilterProtocolOptions.NoReplyToBody) == 0)
                {
                    // The body is not read: no more chunks, where the MTA understands that.
                    writer.Add((Negotiated.Protocol & MilterProtocolOptions.Skip) != 0 ? MilterResponse.Skip : MilterResponse.Continue);
                }

                return true;
            case MilterCommand.EndOfMessage:
                await EndOfMessageAsync(writer, cancellationToken).ConfigureAwait(false);
                return true;
            case MilterCommand.Abort:
                ResetTransaction();
                return true;
            case MilterCommand.QuitNewConnection:
                ResetConnection();
                return true;
            default:
                throw new MilterProtocolException($"unknown command {Describe(packet.Command)}");
        }
    }

    private void Negotiate(ReadOnlySpan<byte> data, MilterPacketWriter writer)
    {
        if (data.Length < 12)
        {
            throw new MilterProtocolException($"a negotiation of {data.Length} bytes; expected 12 (version, actions, protocol)");
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(data);
        Negotiated = MilterNegotiation.Answer(
            version,
            (MilterActions)BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            (MilterProtocolOptions)BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            answersRecipient: options.DecideAt == MilterDecisionPoint.Rcpt,
            answersMail: false)
            ?? throw new MilterProtocolException($"the MTA speaks milter protocol version {version}; Vouch needs {MilterNegotiation.LowestVersion} or later");
        writer.AddNegotiation(Negotiated);
    }

    private async Task RecipientAsync(MilterPacketWriter writer, CancellationToken cancellationToken)
    {
        if (options.DecideAt == MilterDecisionPoint.Rcpt && verdict is null)
        {
            // Once per transaction: every later recipient gets the first one's answer.
            verdict = await JudgeAsync(writer, cancellationToken).ConfigureAwait(false);
        }

        if ((Negotiated!.Protocol & MilterProtocolOptions.NoReplyToRecipient) != 0)
        {
            return;
        }

        if (options.DecideAt == MilterDecisionPoint.Rcpt && verdict?.Reply is { } reply)
        {
            writer.AddReplyCode(reply);
        }
        else
        {
            writer.Add(MilterResponse.Continue);
        }
    }

    private void Header(ReadOnlySpan<byte> data)
    {
        var nul = data.IndexOf((byte)0);
        var name = MilterData.FirstString(data);
        if (!name.Equals(ResultsField, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // RFC 8601 §5: ours unless we wrote it, and we write only at the end of the message; one without a
        // readable authserv-id could be read as ours by a consumer, so it goes too.
        resultsSeen++;
        var value = nul < 0 ? "" : MilterData.FirstString(data[(nul + 1)..]);
        var id = MilterHeaderText.AuthservIdOf(value);
        if (id is null || id.Equals(authservId, StringComparison.OrdinalIgnoreCase))
        {
            forgedResults.Add(resultsSeen);
        }
    }

    private async Task EndOfMessageAsync(MilterPacketWriter writer, CancellationToken cancellationToken)
    {
        // Decided at RCPT, or now (decide_at = "eom", or an MTA that sent no recipient).
        verdict ??= await JudgeAsync(writer, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        var inserted = 0;
        if (verdict.Reply is { } reply)
        {
            writer.AddReplyCode(reply);
        }
        else
        {
            var actions = Negotiated!.Actions;
            if (verdict.RemoveForgedResults && (actions & MilterActions.ChangeHeaders) != 0)
            {
                removed = forgedResults.Count;
                metrics?.RecordForgedResultsRemoved(removed);
                // Highest index first, so that each delete leaves the lower indexes as the MTA counts them.
                for (var i = forgedResults.Count - 1; i >= 0; i--)
                {
                    writer.AddChangeHeader(forgedResults[i], ResultsField, "");
                }
            }

            if ((actions & MilterActions.AddHeaders) != 0)
            {
                inserted = verdict.Headers.Count;
                // RFC 7208 §9.1: above the MTA's own Received: (index 0). Each insert at 0 lands above the one
                // before, so the topmost header goes last.
                for (var i = verdict.Headers.Count - 1; i >= 0; i--)
                {
                    writer.AddInsertHeader(0, verdict.Headers[i].Name, verdict.Headers[i].Value);
                }
            }

            writer.Add(MilterResponse.Continue);
        }

        var transaction = CurrentTransaction();
        await log.WriteLineAsync(
            $"vouch: milter end of message queue_id={UntrustedText.LogField(transaction.QueueId)} client={UntrustedText.LogField(transaction.ClientAddress)}: "
            + (verdict.Reply is { } refusal ? $"refused \"{UntrustedText.LogQuoted(refusal)}\"" : $"{inserted} header(s) inserted, {removed} forged Authentication-Results removed")).ConfigureAwait(false);
        ResetTransaction();
    }

    /// <summary>The verdict, telling the MTA to keep waiting every progress interval while the check runs.</summary>
    private async Task<MilterVerdict> JudgeAsync(MilterPacketWriter writer, CancellationToken cancellationToken)
    {
        var judging = judge.JudgeAsync(CurrentTransaction(), cancellationToken);
        if (!judging.IsCompleted)
        {
            using var stopTicking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (await Task.WhenAny(judging, Task.Delay(options.ProgressInterval, timeProvider, stopTicking.Token)).ConfigureAwait(false) != judging)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.Add(MilterResponse.Progress);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await stopTicking.CancelAsync().ConfigureAwait(false);
        }

        return await judging.ConfigureAwait(false);
    }

    private MilterTransaction CurrentTransaction()
    {
        var connect = macros.GetValueOrDefault(MilterCommand.Connect);
        var mail = macros.GetValueOrDefault(MilterCommand.Mail);

        // Postfix's {client_name} is verified (PTR, then the forward lookup), "unknown" when not; Sendmail says
        // how in {client_resolve}. Anything else is left to Vouch's own FCrDNS.
        var name = connect?.GetValueOrDefault("{client_name}");
        var resolve = connect?.GetValueOrDefault("{client_resolve}");
        var confirmed = name is { Length: > 0 } && name != "unknown" && name[0] != '[' && (resolve is null || resolve == "OK") ? name : null;
        return new MilterTransaction(
            connect?.GetValueOrDefault("{client_addr}") is { Length: > 0 } address ? address : connectAddress,
            confirmed,
            helo,
            sender,
            mail?.GetValueOrDefault("{auth_authen}"),
            QueueId());
    }

    private string QueueId()
    {
        foreach (var stage in (ReadOnlySpan<MilterCommand>)[MilterCommand.EndOfMessage, MilterCommand.Recipient, MilterCommand.Mail, MilterCommand.Connect])
        {
            if (macros.GetValueOrDefault(stage)?.GetValueOrDefault("i") is { Length: > 0 } id)
            {
                return id;
            }
        }

        return "";
    }

    private void Answer(MilterPacketWriter writer, MilterProtocolOptions noReply)
    {
        if ((Negotiated!.Protocol & noReply) == 0)
        {
            writer.Add(MilterResponse.Continue);
        }
    }

    /// <summary>Forgets the message; the macros sent for <paramref name="keepMacrosOf"/> (the event that starts the next one) stay.</summary>
    private void ResetTransaction(MilterCommand? keepMacrosOf = null)
    {
        sender = null;
        transactionStarted = null;
        verdict = null;
        resultsSeen = 0;
        forgedResults.Clear();
        foreach (var stage in (ReadOnlySpan<MilterCommand>)[MilterCommand.Mail, MilterCommand.Recipient, MilterCommand.Data, MilterCommand.Header, MilterCommand.EndOfHeaders, MilterCommand.EndOfMessage])
        {
            if (stage != keepMacrosOf)
            {
                macros.Remove(stage);
            }
        }
    }

    /// <summary>Forgets the client and the message; the macros sent for <paramref name="keepMacrosOf"/> stay.</summary>
    private void ResetConnection(MilterCommand? keepMacrosOf = null)
    {
        ResetTransaction(keepMacrosOf);
        foreach (var stage in (ReadOnlySpan<MilterCommand>)[MilterCommand.Connect, MilterCommand.Helo])
        {
            if (stage != keepMacrosOf)
            {
                macros.Remove(stage);
            }
        }

        connectAddress = "";
        helo = null;
    }

    private static Dictionary<string, string> Pairs(ReadOnlySpan<byte> data)
    {
        var strings = MilterData.Strings(data);
        var pairs = new Dictionary<string, string>(strings.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < strings.Count; i += 2)
        {
            pairs[strings[i]] = strings[i + 1];
        }

        return pairs;
    }

    private static string Describe(MilterCommand command) =>
        (byte)command is >= 0x21 and < 0x7F ? $"'{(char)command}'" : $"0x{(byte)command:X2}";
}
