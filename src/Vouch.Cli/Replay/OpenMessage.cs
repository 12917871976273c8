namespace Vouch.Cli.Replay;

/// <summary>A message smtpd gave a queue id ("client=") whose sender qmgr has not logged yet.</summary>
internal sealed class OpenMessage(DateTimeOffset time, string queueId, SmtpdSession session)
{
    public DateTimeOffset Time { get; } = time;

    public string QueueId { get; } = queueId;

    /// <summary>The session it came in; its HELO may still be logged after "client=" (a later recipient's line).</summary>
    public SmtpdSession Session { get; } = session;

    /// <summary>A refusal in the same session just before: dropped if this message has its sender (another recipient of the same transaction).</summary>
    public Refusal? Refusal { get; set; }
}
