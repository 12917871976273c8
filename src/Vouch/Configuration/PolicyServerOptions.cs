namespace Vouch.Configuration;

/// <summary>Settings of the Postfix policy service; every default is stated.</summary>
public sealed record PolicyServerOptions
{
    /// <summary>The TCP port of a listen address that gives none.</summary>
    public const int DefaultPort = 10040;

    /// <summary>The Prometheus endpoint's port when its address gives none.</summary>
    public const int DefaultMetricsPort = 9110;

    /// <summary>Where <c>vouch serve</c> listens: an <see cref="System.Net.IPEndPoint"/> or a UNIX socket (written "HOST:PORT" or "unix:/path"). Default 127.0.0.1:10040.</summary>
    public System.Net.EndPoint Listen { get; init; } = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, DefaultPort);

    /// <summary>The permissions of a UNIX socket Vouch listens on. Default 0660 (owner and group: put Postfix's user in the group).</summary>
    public UnixFileMode SocketMode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>The header a tag adds: "received-spf" (RFC 7208 §9.1, the default), "authentication-results" (RFC 8601), "x-rmx" (the RMX draft's §8), or "none".</summary>
    public TagHeader Header { get; init; } = TagHeader.ReceivedSpf;

    /// <summary>Where the Prometheus /metrics endpoint listens (written "HOST:PORT", loopback advised); null (the default, written "") turns it off.</summary>
    public System.Net.IPEndPoint? MetricsListen { get; init; }

    /// <summary>Also check at MAIL FROM (protocol_state MAIL), not only at RCPT TO. Default false.</summary>
    public bool CheckAtMail { get; init; }

    /// <summary>The name used in headers (receiver=). Default the machine's host name.</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>How long a connection may stay idle between requests before it is closed. Default 5 minutes (Postfix reuses connections).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest request accepted, in bytes. Default 16 KiB.</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024;

    /// <summary>Clients answered DUNNO without any check or DNS query: trusted relays and your own networks. Default none.</summary>
    public IReadOnlyList<Vouch.Network.AddressPrefix> SkipNetworks { get; init; } = [];

    /// <summary>
    /// Our own domains: a client that is one of their MX hosts (a backup MX relaying to us) is answered DUNNO
    /// without checks. Looked up through the cache, so it follows the DNS. Default none.
    /// </summary>
    public IReadOnlyList<string> SkipDomains { get; init; } = [];

    /// <summary>Prepend the header on accepted mail too (verdict white), not only on tagged mail. Default true.</summary>
    public bool HeaderOnAccept { get; init; } = true;

    /// <summary>
    /// The answer when a check fails inside Vouch (a bug, not DNS trouble): "auto" (the default: DUNNO in
    /// monitor mode, a 451 in enforce mode), "dunno" (let the mail through), or "defer" (451 4.3.0).
    /// </summary>
    public FailureAction FailureAction { get; init; } = FailureAction.Auto;

    /// <summary>Answer DUNNO without checks for authenticated submission (a non-empty sasl_username). Default true.</summary>
    public bool SkipAuthenticated { get; init; } = true;

    /// <summary>Write one JSON line per decision to the log instead of a line of key=value text. Default false.</summary>
    public bool JsonLog { get; init; }

    /// <summary>
    /// The decision log file: one JSON line per decision (schema 1, <c>docs/decision-log.md</c>), whatever
    /// <see cref="JsonLog"/> says, for <c>vouch rollout</c>. Null (the default) writes none.
    /// </summary>
    public string? DecisionLog { get; init; }

    /// <summary>The decision log is rotated when it would grow past this many MiB. Default 100.</summary>
    public int DecisionLogRotateMegabytes { get; init; } = 100;

    /// <summary>Rotated decision logs kept (<c>FILE.1</c> is the newest). Default 10.</summary>
    public int DecisionLogKeep { get; init; } = 10;

    /// <summary>How many messages' answers are kept so the other recipients of a message reuse the first answer. Default 10,000.</summary>
    public int InstanceCacheSize { get; init; } = 10_000;
}
