namespace Vouch.Reputation;

/// <summary>[reputation]: owner reputation, its store, its tickets and its reports.</summary>
public sealed record ReputationOptions
{
    /// <summary>The defaults: reputation off.</summary>
    public static ReputationOptions Default { get; } = new();

    /// <summary>Whether reputation is kept and weighed (default false).</summary>
    public bool Enabled { get; init; }

    /// <summary>Which store: sqlite (one host) or redis (a fleet).</summary>
    public ReputationStoreKind Store { get; init; } = ReputationStoreKind.Sqlite;

    /// <summary>The SQLite database file.</summary>
    public string Path { get; init; } = "/var/lib/vouch/reputation.db";

    /// <summary>The Redis or Valkey server, as StackExchange.Redis reads it ("127.0.0.1:6379", "host:port,password=…").</summary>
    public string Redis { get; init; } = "127.0.0.1:6379";

    /// <summary>The key prefix in Redis, so that several fleets can share one server ("vouch:v1").</summary>
    public string RedisPrefix { get; init; } = "vouch:v1";

    /// <summary>T½: S, H and D halve in this time (default 14 days).</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(14);

    /// <summary>R counts the distinct reporters of spam in this window (default 28 days).</summary>
    public TimeSpan ReporterWindow { get; init; } = TimeSpan.FromDays(28);

    /// <summary>A ticket older than this is refused as too old (default 7 days).</summary>
    public TimeSpan ReportWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The most units one reporter adds to one owner in one UTC day (default 3).</summary>
    public double ReporterDailyCap { get; init; } = 3;

    /// <summary>Events kept this long for <c>vouch reputation events</c> and deduplication (default 90 days).</summary>
    public TimeSpan EventRetention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>When rows enter and leave their states.</summary>
    public ReputationThresholds Thresholds { get; init; } = new();

    /// <summary>The units of one report by source: user 1, trap 3, filter 0.5, filter-tag 0.25, arf 1, admin 1.</summary>
    public IReadOnlyDictionary<ReportSource, double> Weights { get; init; } = new Dictionary<ReportSource, double>
    {
        [ReportSource.User] = 1,
        [ReportSource.Trap] = 3,
        [ReportSource.Filter] = 0.5,
        [ReportSource.FilterTag] = 0.25,
        [ReportSource.Arf] = 1,
        [ReportSource.Admin] = 1,
    };

    /// <summary>
    /// Big shared providers (freemail, large ESPs): their owner-level rows stop at suspect, and a per-sender
    /// sub-row (the hashed local part) may block instead.
    /// </summary>
    public IReadOnlyList<string> Providers { get; init; } =
    [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "aol.com", "icloud.com", "me.com",
        "gmx.net", "gmx.de", "web.de", "mail.ru", "yandex.ru", "proton.me", "protonmail.com", "zoho.com",
        "sendgrid.net", "amazonses.com", "mailgun.org", "mailchimp.com", "mcsv.net", "sparkpostmail.com", "mandrillapp.com",
    ];

    /// <summary>An owner seen vouching for this many distinct MAIL FROM local parts within 30 days counts as a provider too; 0 turns that off (default 50).</summary>
    public int ProviderSenders { get; init; } = 50;

    /// <summary>Whether owner_suspect defers an owner's first message from each address (for a day) instead of only tagging it (suspect_action = "defer-once").</summary>
    public bool SuspectDeferOnce { get; init; }

    /// <summary>Spamtrap recipients: mail to them is a trap report at RCPT (weight 3).</summary>
    public IReadOnlyList<string> Spamtraps { get; init; } = [];

    /// <summary>The ticket key (base64, at least 16 bytes); null means the key file.</summary>
    public byte[]? TicketKey { get; init; }

    /// <summary>The previous ticket key, still accepted after a rotation; null when none.</summary>
    public byte[]? PreviousTicketKey { get; init; }

    /// <summary>Where the ticket key is kept when none is configured: made on first use (mode 0600).</summary>
    public string TicketKeyFile { get; init; } = "/var/lib/vouch/ticket.key";

    /// <summary>This node's name in tickets (n=); "" means the machine's name.</summary>
    public string Node { get; init; } = "";

    /// <summary>Where the report endpoint listens (HTTP, loopback); null means it is off.</summary>
    public System.Net.IPEndPoint? ReportListen { get; init; }

    /// <summary>The bearer token the report endpoint requires; "" refuses every request.</summary>
    public string ReportToken { get; init; } = "";

    /// <summary>Reporters whose ARF reports are taken (their addresses or domains, as in the report's From).</summary>
    public IReadOnlyList<string> TrustedReporters { get; init; } = [];

    /// <summary>How often the in-memory state map is refreshed from the store (default 2 s).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The weight of a source.</summary>
    public double WeightOf(ReportSource source) => Weights.TryGetValue(source, out var weight) ? weight : 1;

    /// <summary>Whether <paramref name="owner"/> is a big shared provider.</summary>
    public bool IsProvider(string owner) => Providers.Contains(owner, StringComparer.OrdinalIgnoreCase);
}
