namespace Vouch.Cli.Replay;

/// <summary>One message, or one attempt Postfix itself refused, as Postfix logged it.</summary>
/// <param name="Time">When the message began: its smtpd "client=" line, or the refusal's line.</param>
/// <param name="QueueId">Postfix's queue id; "NOQUEUE" for an attempt refused before a queue file existed.</param>
/// <param name="ClientAddress">The client's IP address as logged (IPv6 without brackets).</param>
/// <param name="ClientName">The client's verified name as logged, "unknown" when it had none.</param>
/// <param name="Helo">The HELO name as Postfix logged it (Postfix 3.x writes '?' for spaces and other unsafe
/// characters); null when no line of the session carried one.</param>
/// <param name="Sender">The MAIL FROM address as logged, without the angle brackets; "" for a bounce (&lt;&gt;).</param>
/// <param name="RefusedByPostfix">True when Postfix refused it (a "reject:" or "milter-reject:" line, including
/// 4xx temporary refusals).</param>
/// <param name="PostfixReply">For a refusal, the reply Postfix logged (e.g. "554 5.7.1 &lt;r@example&gt;: Recipient
/// address rejected: …"); otherwise null.</param>
public sealed record ReplayedMessage(
    DateTimeOffset Time,
    string QueueId,
    string ClientAddress,
    string ClientName,
    string? Helo,
    string Sender,
    bool RefusedByPostfix,
    string? PostfixReply);
