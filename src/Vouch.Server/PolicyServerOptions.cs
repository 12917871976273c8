namespace Vouch.Server;

/// <summary>Settings of the Postfix policy service; every default is stated.</summary>
public sealed record PolicyServerOptions
{
    /// <summary>Also check at MAIL FROM (protocol_state MAIL), not only at RCPT TO. Default false.</summary>
    public bool CheckAtMail { get; init; }

    /// <summary>The name used in headers (receiver=). Default the machine's host name.</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>How long a connection may stay idle between requests before it is closed. Default 5 minutes (Postfix reuses connections).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest request accepted, in bytes. Default 16 KiB.</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024;

    /// <summary>How many messages' answers are kept so the other recipients of a message reuse the first answer. Default 10,000.</summary>
    public int InstanceCacheSize { get; init; } = 10_000;
}
