namespace Vouch.Cli.Replay;

/// <summary>One smtpd process's current SMTP session: from "connect from" to "disconnect from".</summary>
internal sealed class SmtpdSession(PostfixClient client)
{
    // A bound on the senders remembered per session, against a client that tries a new sender per command.
    private const int MaxRefusedSenders = 64;

    private readonly HashSet<string> refusedSenders = new(StringComparer.Ordinal);

    public PostfixClient Client { get; } = client;

    /// <summary>The HELO name of the latest line of this session that logged one.</summary>
    public string? Helo { get; set; }

    /// <summary>A refusal not yet yielded: the same transaction may still be accepted for another recipient.</summary>
    public Refusal? Pending { get; set; }

    /// <summary>Records that a refusal of <paramref name="sender"/> was seen; false if one already was (one per session and sender).</summary>
    public bool AddRefusedSender(string sender) =>
        refusedSenders.Count >= MaxRefusedSenders ? !refusedSenders.Contains(sender) : refusedSenders.Add(sender);
}
