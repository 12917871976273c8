namespace Vouch.Configuration;

/// <summary>Settings of the mail filter (<c>vouch milter</c>, milter protocol version 6); every default is stated.</summary>
public sealed record MilterOptions
{
    /// <summary>The TCP port of a listen address that gives none.</summary>
    public const int DefaultPort = 8891;

    /// <summary>Where <c>vouch milter</c> listens: an <see cref="System.Net.IPEndPoint"/> or a UNIX socket (written "inet:HOST:PORT", "HOST:PORT" or "unix:/path"). Default 127.0.0.1:8891.</summary>
    public System.Net.EndPoint Listen { get; init; } = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, DefaultPort);

    /// <summary>The permissions of a UNIX socket the milter listens on. Default 0660.</summary>
    public UnixFileMode SocketMode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>When the sender is checked: at the first recipient (the default) or at the end of the message.</summary>
    public MilterDecisionPoint DecideAt { get; init; } = MilterDecisionPoint.Rcpt;

    /// <summary>
    /// The headers inserted at the top of accepted and tagged mail, in order from the top: by default
    /// Received-SPF (RFC 7208 §9.1) above Authentication-Results (RFC 8601). Empty: none.
    /// </summary>
    public IReadOnlyList<TagHeader> Headers { get; init; } = [TagHeader.ReceivedSpf, TagHeader.AuthenticationResults];

    /// <summary>Our authserv-id (RFC 8601 §2.5): written in Authentication-Results and looked for in forged ones. Null (the default): <c>[server] host_name</c>.</summary>
    public string? AuthservId { get; init; }

    /// <summary>Delete Authentication-Results fields that carry our authserv-id but did not come from us (RFC 8601 §5). Default true.</summary>
    public bool RemoveForgedResults { get; init; } = true;

    /// <summary>Do not judge a session that authenticated (<c>{auth_authen}</c> at MAIL). Default true.</summary>
    public bool SkipAuthenticated { get; init; } = true;

    /// <summary>Put the headers on accepted mail (verdict white) too, not only on tagged mail. Default true.</summary>
    public bool HeaderOnAccept { get; init; } = true;

    /// <summary>The largest packet accepted from the MTA, in bytes. Default 1 MiB (Postfix sends each header whole, up to its header_size_limit of 100 KiB).</summary>
    public int MaxPacketBytes { get; init; } = 1024 * 1024;

    /// <summary>How long the MTA may leave the connection silent before it is closed. Default 15 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one transaction (MAIL to the end of the message or abort) may last before the connection is closed. Default 1 hour.</summary>
    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>While a check runs longer than this, a progress packet tells the MTA to keep waiting. Default 10 s (Postfix's milter_command_timeout is 30 s).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);
}
