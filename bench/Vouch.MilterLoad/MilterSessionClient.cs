using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vouch.MilterLoad;

/// <summary>
/// One of the run's concurrent MTA connections, used as Postfix's smtpd uses a milter for one SMTP session
/// with one message: a new connection per session; SMFIC_OPTNEG (version 6, every action, every protocol
/// option); then, each preceded by its macros (SMFIC_MACRO), connect, HELO, MAIL, RCPT, DATA, the header
/// fields, end of header, a body chunk and end of message — each sent only when the server's negotiation
/// reply wants it, and its reply awaited only when that reply says the event is answered. At the end of the
/// message it reads packets up to the final reply, skipping progress and counting header changes; then two
/// SMFIC_ABORT and SMFIC_QUIT, as Postfix sends them, and reads until the server closes: any byte the server
/// sends after the final reply answered a packet the protocol says is not answered, and fails the run.
/// A transaction's latency runs from just before the connect to just after the final reply's last byte.
/// </summary>
internal sealed class MilterSessionClient(EndPoint endpoint, MilterLoadRun run)
{
    private const string Recipient = "user@example.net";
    private const string Date = "Thu, 3 Dec 2026 17:30:00 +0000 (UTC)";
    private const string Body = "A benchmark message.\r\n";

    // mfdef.h, SMFIC_* and SMFIR_*.
    private const byte Abort = (byte)'A', BodyChunk = (byte)'B', Connect = (byte)'C', Macro = (byte)'D', EndOfMessage = (byte)'E';
    private const byte Helo = (byte)'H', Header = (byte)'L', Mail = (byte)'M', EndOfHeaders = (byte)'N', Negotiate = (byte)'O';
    private const byte Quit = (byte)'Q', RecipientCommand = (byte)'R', Data = (byte)'T';

    // SMFIM_* stages, and Postfix 3.x's default macro names for each (milter_*_macros), sent when the server names none.
    private static readonly string[][] DefaultMacros =
    [
        ["j", "{daemon_name}", "{daemon_addr}", "v", "_"],
        ["{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}"],
        ["i", "{auth_type}", "{auth_authen}", "{auth_author}", "{mail_addr}", "{mail_host}", "{mail_mailer}"],
        ["{rcpt_addr}", "{rcpt_host}", "{rcpt_mailer}"],
        ["i"],
        ["i"],
        ["i"],
    ];

    // What Postfix sends after the end of the message of a one-message session: abort twice, then quit.
    private static readonly byte[] SessionEnd = [Abort, Abort, Quit];

    private readonly MilterChannel channel = new(run.Options.WritePerPacket);

    /// <summary>Runs transactions claimed from the run until it has none left.</summary>
    /// <exception cref="IOException">The server broke the protocol or closed a connection early.</exception>
    /// <exception cref="SocketException">A connection failed.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (run.TryClaim(out var number))
        {
            var started = Stopwatch.GetTimestamp();
            using var socket = endpoint is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            channel.Attach(socket);
            var result = await TransactionAsync(number, cancellationToken).ConfigureAwait(false);
            var ticks = Stopwatch.GetTimestamp() - started;

            // Postfix ends each message with two aborts and the session with quit; none is answered.
            foreach (var command in SessionEnd)
            {
                channel.Begin(command);
                await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            }

            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            var extra = await channel.DrainAsync(cancellationToken).ConfigureAwait(false);
            if (extra > 0)
            {
                throw new IOException($"transaction {number}: the server sent {extra} bytes after its final reply (an answer to an event the negotiation says it does not answer, or to a macro, abort or quit)");
            }

            run.Complete(number, ticks, result);
        }
    }

    private async Task<TransactionResult> TransactionAsync(long number, CancellationToken cancellationToken)
    {
        var line = run.Workload[number];
        var queueId = string.Create(CultureInfo.InvariantCulture, $"B{number:X9}");
        var sender = line.Sender;
        var senderDomain = sender.LastIndexOf('@') is var at and >= 0 ? sender[(at + 1)..] : "";
        var authservId = run.Options.AuthservId;

        channel.Begin(Negotiate);
        channel.AppendUInt32(6);
        channel.AppendUInt32(0x1FF);
        channel.AppendUInt32(0x1FFFFF);
        await channel.EndAsync(cancellationToken).ConfigureAwait(false);
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var (replyCommand, replyData) = await channel.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (replyCommand != Negotiate)
        {
            throw new IOException($"transaction {number}: expected the negotiation reply 'O', got {Describe(replyCommand)}");
        }

        var negotiated = ServerNegotiation.Parse(replyData.Span);
        if (negotiated.Version != 6)
        {
            throw new IOException($"transaction {number}: the server answered version {negotiated.Version} to version 6");
        }

        var progress = 0;
        string? Value(string name) => name switch
        {
            "j" => authservId,
            "v" => "Postfix 3.7.11",
            "_" => $"unknown [{line.Ip}]",
            "{daemon_name}" => "smtpd",
            "{daemon_addr}" => "127.0.0.1",
            "{daemon_port}" => "25",
            "{client_addr}" => line.Ip,
            "{client_name}" => "unknown",
            "{client_ptr}" => "unknown",
            "{client_port}" => Port(number).ToString(CultureInfo.InvariantCulture),
            "{client_connections}" => "1",
            "i" => queueId,
            "{mail_addr}" => sender,
            "{mail_host}" => senderDomain.Length > 0 ? senderDomain : null,
            "{mail_mailer}" => "smtp",
            "{rcpt_addr}" => Recipient,
            "{rcpt_host}" => "example.net",
            "{rcpt_mailer}" => "smtp",
            _ => null, // not known to Postfix, or undefined in a plain session (no TLS, no SASL): not sent
        };

        async ValueTask MacrosAsync(byte command, uint stage)
        {
            var names = negotiated.Macros.TryGetValue(stage, out var asked) ? asked : DefaultMacros[stage];
            var any = false;
            foreach (var name in names)
            {
                if (Value(name) is not { } value)
                {
                    continue;
                }

                if (!any)
                {
                    channel.Begin(Macro);
                    channel.AppendByte(command);
                    any = true;
                }

                channel.AppendString(name);
                channel.AppendString(value);
            }

            if (any)
            {
                await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // The reply to an answered event other than the end of the message: continue, or a refusal that ends the transaction.
        async ValueTask<MilterOutcome?> ReplyAsync(char eventName)
        {
            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var (command, data) = await channel.ReadAsync(cancellationToken).ConfigureAwait(false);
                switch ((char)command)
                {
                    case 'p':
                        progress++;
                        continue;
                    case 'c':
                        return null;
                    case 's' when eventName == 'B':
                        return null;
                    default:
                        return Final(command, data.Span) ?? throw new IOException($"transaction {number}: {Describe(command)} in answer to '{eventName}'");
                }
            }
        }

        TransactionResult Early(MilterOutcome outcome, char at) => new(outcome, at, 0, 0, 0, 0, progress);

        if (!negotiated.Skips(ProtocolFlags.NoConnect))
        {
            await MacrosAsync(Connect, 0).ConfigureAwait(false);
            channel.Begin(Connect);
            channel.AppendString($"[{line.Ip}]");
            channel.AppendByte(line.Ip.Contains(':', StringComparison.Ordinal) ? (byte)'6' : (byte)'4');
            channel.AppendUInt16(Port(number));
            channel.AppendString(line.Ip);
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToConnect) && await ReplyAsync('C').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'C');
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoHelo))
        {
            await MacrosAsync(Helo, 1).ConfigureAwait(false);
            channel.Begin(Helo);
            channel.AppendString(line.Helo);
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToHelo) && await ReplyAsync('H').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'H');
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoMail))
        {
            await MacrosAsync(Mail, 2).ConfigureAwait(false);
            channel.Begin(Mail);
            channel.AppendString($"<{sender}>");
            channel.AppendString("SIZE=1024");
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToMail) && await ReplyAsync('M').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'M');
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoRecipient))
        {
            await MacrosAsync(RecipientCommand, 3).ConfigureAwait(false);
            channel.Begin(RecipientCommand);
            channel.AppendString($"<{Recipient}>");
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToRecipient) && await ReplyAsync('R').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'R');
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoData))
        {
            await MacrosAsync(Data, 4).ConfigureAwait(false);
            channel.Begin(Data);
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToData) && await ReplyAsync('T').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'T');
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoHeaders))
        {
            // Postfix drops the space after the colon unless the milter took SMFIP_HDR_LEADSPC.
            var space = (negotiated.Protocol & ProtocolFlags.HeaderLeadingSpace) != 0 ? " " : "";
            var from = sender.Length > 0 ? sender : $"MAILER-DAEMON@{line.Helo}";
            (string Name, string Value)[] headers =
            [
                ("Received", $"from {line.Helo} ([{line.Ip}])\n\tby {authservId} (Postfix) with ESMTP id {queueId}\n\tfor <{Recipient}>; {Date}"),
                ("Authentication-Results", $"{authservId}; spf=pass smtp.mailfrom={(senderDomain.Length > 0 ? senderDomain : line.Helo)}"),
                ("From", $"<{from}>"),
                ("To", $"<{Recipient}>"),
                ("Subject", string.Create(CultureInfo.InvariantCulture, $"benchmark message {number}")),
                ("Date", Date),
                ("Message-ID", $"<{queueId}@{(senderDomain.Length > 0 ? senderDomain : "bench.example")}>"),
            ];
            foreach (var (name, value) in headers)
            {
                channel.Begin(Header);
                channel.AppendString(name);
                channel.AppendString(space + value);
                await channel.EndAsync(cancellationToken).ConfigureAwait(false);
                if (negotiated.Answers(ProtocolFlags.NoReplyToHeader) && await ReplyAsync('L').ConfigureAwait(false) is { } refused)
                {
                    return Early(refused, 'L');
                }
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoEndOfHeaders))
        {
            await MacrosAsync(EndOfHeaders, 6).ConfigureAwait(false);
            channel.Begin(EndOfHeaders);
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToEndOfHeaders) && await ReplyAsync('N').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'N');
            }
        }

        if (!negotiated.Skips(ProtocolFlags.NoBody))
        {
            channel.Begin(BodyChunk);
            channel.AppendStringWithoutNul(Body);
            await channel.EndAsync(cancellationToken).ConfigureAwait(false);
            if (negotiated.Answers(ProtocolFlags.NoReplyToBody) && await ReplyAsync('B').ConfigureAwait(false) is { } refused)
            {
                return Early(refused, 'B');
            }
        }

        await MacrosAsync(EndOfMessage, 5).ConfigureAwait(false);
        channel.Begin(EndOfMessage);
        await channel.EndAsync(cancellationToken).ConfigureAwait(false);
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        int inserts = 0, deletes = 0, forgedDeleted = 0, other = 0;
        while (true)
        {
            var (command, data) = await channel.ReadAsync(cancellationToken).ConfigureAwait(false);
            switch ((char)command)
            {
                case 'p':
                    progress++;
                    continue;
                case 'i':
                    inserts++;
                    continue;
                case 'm':
                    if (IsDeletion(data.Span, out var index, out var name))
                    {
                        deletes++;
                        if (index == 1 && name.Equals("Authentication-Results", StringComparison.OrdinalIgnoreCase))
                        {
                            forgedDeleted++;
                        }
                    }
                    else
                    {
                        other++;
                    }

                    continue;
                case 'h' or '+' or '-' or '2' or 'b' or 'e' or 'q' or 'l':
                    other++;
                    continue;
                default:
                    if (Final(command, data.Span) is { } outcome)
                    {
                        return new TransactionResult(outcome, null, inserts, deletes, forgedDeleted, other, progress);
                    }

                    throw new IOException($"transaction {number}: {Describe(command)} in answer to the end of the message");
            }
        }
    }

    /// <summary>The outcome a final reply means, or null when <paramref name="command"/> is not a final reply.</summary>
    private static MilterOutcome? Final(byte command, ReadOnlySpan<byte> data) => (char)command switch
    {
        'c' => MilterOutcome.Continue,
        'a' => MilterOutcome.Accept,
        't' => MilterOutcome.TemporaryFailure,
        'r' => MilterOutcome.Reject,
        'd' => MilterOutcome.Other,
        'y' => data.Length > 0 && data[0] == (byte)'4' ? MilterOutcome.TemporaryFailure : data.Length > 0 && data[0] == (byte)'5' ? MilterOutcome.Reject : MilterOutcome.Other,
        _ => null,
    };

    /// <summary>SMFIR_CHGHEADER: a 32-bit index, the name, the value; an empty value deletes the field.</summary>
    private static bool IsDeletion(ReadOnlySpan<byte> data, out uint index, out string name)
    {
        index = data.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(data) : 0;
        var rest = data.Length >= 4 ? data[4..] : [];
        var nul = rest.IndexOf((byte)0);
        name = Encoding.UTF8.GetString(nul < 0 ? rest : rest[..nul]);
        var value = nul < 0 ? [] : rest[(nul + 1)..];
        return value.Length == 0 || value[0] == 0;
    }

    // The client's port: varies per transaction, as a real client's does.
    private static ushort Port(long number) => (ushort)(32768 + (number % 28000));

    private static string Describe(byte command) => command is >= 0x21 and < 0x7F ? $"'{(char)command}'" : $"0x{command:X2}";
}
