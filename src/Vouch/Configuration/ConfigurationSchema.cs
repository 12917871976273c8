using System.Net;
using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Spf;

namespace Vouch.Configuration;

/// <summary>
/// Every table and key of the configuration file, declared once: what each key holds, its range or words, its
/// default and what it does. The loader reads by it, rejects keys it does not declare, <c>vouch serve
/// --check-config</c> shows settings by it, and the tests hold docs/configuration.md to it.
/// </summary>
public static class ConfigurationSchema
{
    private static readonly SectionKeys<VouchConfiguration> TopKeys = new(c => c, (_, value) => value);
    private static readonly SectionKeys<NetworkResolverOptions> DnsKeys = new(c => c.Dns, (c, value) => c with { Dns = value });
    private static readonly SectionKeys<DnsCacheOptions> CacheKeys = new(c => c.Cache, (c, value) => c with { Cache = value });
    private static readonly SectionKeys<ChecksOptions> ChecksKeys = new(c => c.Checks, (c, value) => c with { Checks = value });
    private static readonly SectionKeys<SpfOptions> SpfKeys = new(c => c.Spf, (c, value) => c with { Spf = value });
    private static readonly SectionKeys<RegistrationOptions> RegistrationKeys = new(c => c.Registration, (c, value) => c with { Registration = value });
    private static readonly SectionKeys<RmxOptions> RmxKeys = new(c => c.Rmx, (c, value) => c with { Rmx = value });
    private static readonly SectionKeys<ListOptions> ListKeys = new(c => c.Lists, (c, value) => c with { Lists = value });
    private static readonly SectionKeys<PolicyServerOptions> ServerKeys = new(c => c.Server, (c, value) => c with { Server = value });
    private static readonly SectionKeys<MilterOptions> MilterKeys = new(c => c.Milter, (c, value) => c with { Milter = value });
    private static readonly SectionKeys<ReputationOptions> ReputationKeys = new(c => c.Reputation, (c, value) => c with { Reputation = value });
    private static readonly SectionKeys<ReputationThresholds> ThresholdKeys = new(c => c.Reputation.Thresholds, (c, value) => c with { Reputation = c.Reputation with { Thresholds = value } });

    private static readonly ConfigurationKey CheckHelo = ChecksKeys.Boolean(
        "check_helo", o => o.CheckHelo, (o, v) => o with { CheckHelo = v }, "whether the HELO name is checked with SPF besides MAIL FROM (RFC 7208 §2.3)");

    private static readonly ConfigurationKey Deadline = ChecksKeys.Integer(
        "deadline_seconds", 1, 600, o => (int)o.Deadline.TotalSeconds, (o, v) => o with { Deadline = TimeSpan.FromSeconds(v) }, "the most one check of a request may take, in seconds; past it, grey");

    private static readonly ConfigurationKey Gather = ChecksKeys.Word(
        "gather", ConfigurationWords.Gatherings, o => o.Gather, (o, v) => o with { Gather = v }, "all evidence, or only what the decision needs (decisive); auto: all in monitor mode, decisive in enforce mode");

    /// <summary>[dns]: the resolver.</summary>
    public static ConfigurationSection Dns { get; } = new("dns", isTableList: false,
    [
        DnsKeys.StringList<IPEndPoint>("servers", "array of endpoints", SettingText.TryParseServer, o => o.Servers, (o, v) => o with { Servers = v }, "the resolvers to ask, in order; none means /etc/resolv.conf's"),
        DnsKeys.Integer("timeout_ms", 1, 60_000, o => (int)o.Timeout.TotalMilliseconds, (o, v) => o with { Timeout = TimeSpan.FromMilliseconds(v) }, "the longest wait between two transmissions of a query, in milliseconds"),
        DnsKeys.Integer("retries", 0, 10, o => o.Retries, (o, v) => o with { Retries = v }, "how many more timeouts a server is given before the next is asked"),
        // RFC 6891 §6.2.5: below 512 is treated as 512; above 4096 invites fragmentation.
        DnsKeys.Integer("udp_payload_size", 512, 4096, o => o.UdpPayloadSize, (o, v) => o with { UdpPayloadSize = v }, "the EDNS0 UDP payload size offered, in bytes"),
        DnsKeys.Integer("min_retransmit_ms", 1, 60_000, o => (int)o.MinimumRetransmitInterval.TotalMilliseconds, (o, v) => o with { MinimumRetransmitInterval = TimeSpan.FromMilliseconds(v) }, "the shortest wait before a query is sent again, in milliseconds"),
        DnsKeys.Integer("max_transmissions", 1, 20, o => o.MaxTransmissions, (o, v) => o with { MaxTransmissions = v }, "the most times one query is sent to one server"),
        DnsKeys.Integer("max_in_flight", 1, 16_384, o => o.MaxInFlightPerServer, (o, v) => o with { MaxInFlightPerServer = v }, "the most queries waiting for one server's reply at once"),
        DnsKeys.Integer("socket_max_queries", 1, 10_000_000, o => o.SocketMaxQueries, (o, v) => o with { SocketMaxQueries = v }, "queries after which a UDP socket (its source port) is replaced"),
        DnsKeys.Integer("socket_max_age_seconds", 1, 86_400, o => (int)o.SocketMaxAge.TotalSeconds, (o, v) => o with { SocketMaxAge = TimeSpan.FromSeconds(v) }, "the age at which a UDP socket is replaced, in seconds"),
    ]);

    /// <summary>[cache]: the shared DNS cache.</summary>
    public static ConfigurationSection Cache { get; } = new("cache", isTableList: false,
    [
        CacheKeys.Integer("max_entries", 1, 10_000_000, o => o.MaxEntries, (o, v) => o with { MaxEntries = v }, "the most answers kept; the least recently used go first"),
        CacheKeys.Integer("min_ttl_seconds", 0, 86_400, o => (int)o.MinimumTtl.TotalSeconds, (o, v) => o with { MinimumTtl = TimeSpan.FromSeconds(v) }, "answers are kept at least this long, in seconds"),
        CacheKeys.Integer("max_ttl_seconds", 1, 604_800, o => (int)o.MaximumTtl.TotalSeconds, (o, v) => o with { MaximumTtl = TimeSpan.FromSeconds(v) }, "answers are kept at most this long, in seconds"),
        // RFC 2308 §7.1: a server failure must not be cached for more than five minutes.
        CacheKeys.Integer("failure_ttl_seconds", 0, 300, o => (int)o.FailureTtl.TotalSeconds, (o, v) => o with { FailureTtl = TimeSpan.FromSeconds(v) }, "how long a temporary failure is remembered, in seconds"),
    ]);

    /// <summary>[checks]: the whole check of a request.</summary>
    public static ConfigurationSection Checks { get; } = new("checks", isTableList: false, [CheckHelo, Deadline, Gather]);

    /// <summary>[spf]: the SPF engine; also still accepts the whole check's keys that moved to [checks].</summary>
    public static ConfigurationSection Spf { get; } = new("spf", isTableList: false,
    [
        SpfKeys.Integer("max_dns_lookups", 1, 100, o => o.MaxDnsLookups, (o, v) => o with { MaxDnsLookups = v }, "terms that query DNS allowed in one check (RFC 7208 §4.6.4)"),
        SpfKeys.Integer("max_void_lookups", 0, 100, o => o.MaxVoidLookups, (o, v) => o with { MaxVoidLookups = v }, "lookups answering no such name or no data allowed in one check (RFC 7208 §4.6.4)"),
        Deadline.Deprecated("checks"),
        SpfKeys.String("receiving_host", "domain", DomainNameText.TryParse, o => o.ReceivingHost, (o, v) => o with { ReceivingHost = v }, "the %{r} macro in explanations: this host's name"),
        SpfKeys.String("default_explanation", "SPF explain-string", SettingText.TryParseExplanation, o => o.DefaultExplanation, (o, v) => o with { DefaultExplanation = v }, "the explanation of a fail when the domain gives none (RFC 7208 §6.2)"),
        CheckHelo.Deprecated("checks"),
    ]);

    /// <summary>[registration]: MX registration and reverse DNS.</summary>
    public static ConfigurationSection Registration { get; } = new("registration", isTableList: false,
    [
        RegistrationKeys.Boolean("enabled", o => o.Enabled, (o, v) => o with { Enabled = v }, "whether MX registration and forward-confirmed reverse DNS are looked up"),
        RegistrationKeys.Boolean("implicit_mx", o => o.ImplicitMx, (o, v) => o with { ImplicitMx = v }, "whether a domain without MX records is its own mail host (RFC 5321 §5.1)"),
        RegistrationKeys.OptionalInteger("match_prefix_ipv4", 0, 32, o => o.MatchPrefixLengthIPv4, (o, v) => o with { MatchPrefixLengthIPv4 = v }, "an MX host address in the client's IPv4 network of this length matches"),
        RegistrationKeys.OptionalInteger("match_prefix_ipv6", 0, 128, o => o.MatchPrefixLengthIPv6, (o, v) => o with { MatchPrefixLengthIPv6 = v }, "an MX host address in the client's IPv6 network of this length matches"),
        RegistrationKeys.Integer("max_mx_hosts", 1, 100, o => o.MaxMxHostsPerDomain, (o, v) => o with { MaxMxHostsPerDomain = v }, "MX hosts looked up per candidate domain"),
        RegistrationKeys.Integer("max_ptr_names", 1, 100, o => o.MaxPtrNames, (o, v) => o with { MaxPtrNames = v }, "reverse-DNS names of the client looked at"),
        RegistrationKeys.Integer("query_budget", 1, 1000, o => o.QueryBudget, (o, v) => o with { QueryBudget = v }, "DNS queries the registration check may make per request"),
    ]);

    /// <summary>[rmx]: RMX records.</summary>
    public static ConfigurationSection Rmx { get; } = new("rmx", isTableList: false,
    [
        RmxKeys.Boolean("enabled", o => o.Enabled, (o, v) => o with { Enabled = v }, "whether the sender domain's RMX records are read"),
        RmxKeys.Integer("max_dns_entries", 1, 100, o => o.MaxDnsEntries, (o, v) => o with { MaxDnsEntries = v }, "RMX entries that query DNS evaluated per check"),
        RmxKeys.Integer("max_mx_hosts", 1, 100, o => o.MaxMxHosts, (o, v) => o with { MaxMxHosts = v }, "MX hosts an mx: entry looks up"),
    ]);

    /// <summary>[[lists.dns]]: one DNS block list each; read by the lists' own reader.</summary>
    public static ConfigurationSection DnsLists { get; } = new("lists.dns", isTableList: true,
    [
        ConfigurationKey.ReadByTable("name", "string", "required", "a short name for logs and reasons; each list needs its own"),
        ConfigurationKey.ReadByTable("zone", "domain", "required", "the list's DNS zone"),
        ConfigurationKey.ReadByTable("type", TableReader.Alternatives(ConfigurationWords.ListKinds), "required", "a DNSBL of addresses or an RHSBL of domains"),
        ConfigurationKey.ReadByTable("listed", "array of IPv4 networks", Show(DnsListDefinition.DefaultListedAnswers), "A-record answers that mean listed (RFC 5782 §2.1)"),
        ConfigurationKey.ReadByTable("errors", "array of IPv4 networks", Show(DnsListDefinition.DefaultErrorAnswers), "answers that mean the list refused or failed the query"),
        ConfigurationKey.ReadByTable("action", TableReader.Alternatives(ConfigurationWords.Actions), "\"reject\"", "what a listing makes Vouch do"),
    ]);

    /// <summary>[lists]: allow and block lists.</summary>
    public static ConfigurationSection Lists { get; } = new("lists", isTableList: false,
    [
        ListKeys.StringList<ListEntry>("allow", "array of addresses, networks and domains", ListEntry.TryParse, o => ListEntry.Of(o.AllowAddresses, o.AllowDomains),
            (o, v) => o with { AllowAddresses = ListEntry.Addresses(v), AllowDomains = ListEntry.Domains(v) }, "clients always trusted (white)"),
        ListKeys.StringList<ListEntry>("block", "array of addresses, networks and domains", ListEntry.TryParse, o => ListEntry.Of(o.BlockAddresses, o.BlockDomains),
            (o, v) => o with { BlockAddresses = ListEntry.Addresses(v), BlockDomains = ListEntry.Domains(v) }, "clients always refused (black)"),
        ListKeys.Integer("self_test_interval_minutes", 1, 1440, o => (int)o.SelfTestInterval.TotalMinutes, (o, v) => o with { SelfTestInterval = TimeSpan.FromMinutes(v) }, "how often each DNS list is tested (RFC 5782 §5), in minutes"),
    ],
    [DnsLists]);

    /// <summary>[[policy.rules]]: the decision table written out; read by the policy's own reader.</summary>
    public static ConfigurationSection Rules { get; } = new("policy.rules", isTableList: true,
    [
        ConfigurationKey.ReadByTable("when", "condition", "required", "what the rule tests"),
        ConfigurationKey.ReadByTable("verdict", TableReader.Alternatives(ConfigurationWords.Verdicts), "required", "what Vouch concludes"),
        ConfigurationKey.ReadByTable("action", TableReader.Alternatives(ConfigurationWords.Actions), "required", "what the MTA is told in enforce mode"),
        ConfigurationKey.ReadByTable("code", "string", "\"\"", "the RFC 3463 enhanced status code: class 4 for defer, 5 for reject"),
        ConfigurationKey.ReadByTable("reason", "string", "required", "the text given to the client and logged, with placeholders"),
    ]);

    /// <summary>[policy]: the shortcuts that change or add rows of the default decision table; read by the policy's own reader.</summary>
    public static ConfigurationSection Policy { get; } = new("policy", isTableList: false,
    [
        .. PolicyTableReader.Shortcuts.Select(shortcut => ConfigurationKey.ReadByTable(
            shortcut.Key, TableReader.Alternatives(ConfigurationWords.Actions), ConfigurationKey.Quote(Decision.Token(DecisionTable.Default.First(row => row.When == shortcut.When).Action)),
            $"the action of the default table's {shortcut.When.ToToken()} row")),
        .. PolicyTableReader.AddedRows.OrderBy(added => added.Row == DecisionTable.ClientUnreadable).Select(added => ConfigurationKey.ReadByTable(
            added.Key, TableReader.Alternatives(ConfigurationWords.Actions), "not set",
            $"adds the {added.Row.When.ToToken()} row with this action after the allow list")),
    ],
    [Rules]);

    /// <summary>[server]: the Postfix policy service.</summary>
    public static ConfigurationSection Server { get; } = new("server", isTableList: false,
    [
        ServerKeys.String("listen", "string, HOST:PORT or unix:/path", SettingText.TryParseListen, o => o.Listen, (o, v) => o with { Listen = v }, "where vouch serve listens; --listen overrides it", ListenAddress.ToText),
        ServerKeys.String("metrics_listen", "string, HOST:PORT or \"\"", SettingText.TryParseMetricsListen, o => o.MetricsListen, (o, v) => o with { MetricsListen = v }, "where the Prometheus endpoint listens; \"\" turns it off", endpoint => endpoint?.ToString() ?? ""),
        ServerKeys.String("host_name", "string", SettingText.TryParseHostName, o => o.HostName, (o, v) => o with { HostName = v }, "the receiver name in the headers").WithDefault("the machine's name"),
        ServerKeys.Word("header", ConfigurationWords.Headers, o => o.Header, (o, v) => o with { Header = v }, "the header a tag prepends"),
        ServerKeys.Boolean("check_at_mail", o => o.CheckAtMail, (o, v) => o with { CheckAtMail = v }, "also check at MAIL FROM, not only at RCPT TO"),
        ServerKeys.Boolean("skip_authenticated", o => o.SkipAuthenticated, (o, v) => o with { SkipAuthenticated = v }, "answer DUNNO without checks for authenticated submission"),
        ServerKeys.StringList<AddressPrefix>("skip_networks", "array of addresses and networks", AddressPrefix.TryParse, o => o.SkipNetworks, (o, v) => o with { SkipNetworks = v }, "trusted relays and your own networks: DUNNO without checks"),
        ServerKeys.Boolean("json_log", o => o.JsonLog, (o, v) => o with { JsonLog = v }, "one JSON object per decision instead of a key=value line"),
        ServerKeys.String<string?>("decision_log", "string, a file path or \"\"", SettingText.TryParseOptionalPath, o => o.DecisionLog, (o, v) => o with { DecisionLog = v }, "the decision log file for vouch rollout; \"\" writes none", path => path ?? ""),
        ServerKeys.Integer("decision_log_rotate_mb", 1, 100_000, o => o.DecisionLogRotateMegabytes, (o, v) => o with { DecisionLogRotateMegabytes = v }, "the decision log is rotated before it grows past this size, in MiB"),
        ServerKeys.Integer("decision_log_keep", 0, 1000, o => o.DecisionLogKeep, (o, v) => o with { DecisionLogKeep = v }, "rotated decision logs kept"),
        ServerKeys.Integer("idle_timeout_seconds", 1, 86_400, o => (int)o.IdleTimeout.TotalSeconds, (o, v) => o with { IdleTimeout = TimeSpan.FromSeconds(v) }, "a connection idle this long is closed, in seconds"),
        ServerKeys.Integer("max_request_bytes", 1024, 1024 * 1024, o => o.MaxRequestBytes, (o, v) => o with { MaxRequestBytes = v }, "a larger request closes the connection"),
        ServerKeys.Integer("instance_cache_size", 1, 10_000_000, o => o.InstanceCacheSize, (o, v) => o with { InstanceCacheSize = v }, "messages whose answer is kept for their other recipients"),
        ServerKeys.StringList<string>("skip_domains", "array of domains", SettingText.TryParseMultiLabelDomain, o => o.SkipDomains, (o, v) => o with { SkipDomains = v }, "our own domains: their MX hosts get DUNNO without further checks"),
        ServerKeys.Boolean("header_on_accept", o => o.HeaderOnAccept, (o, v) => o with { HeaderOnAccept = v }, "prepend the header on accepted mail too"),
        ServerKeys.Word("failure_action", ConfigurationWords.FailureActions, o => o.FailureAction, (o, v) => o with { FailureAction = v }, "the answer when a check fails inside Vouch"),
        ServerKeys.String("socket_mode", "string, octal permissions", SettingText.TryParseFileMode, o => o.SocketMode, (o, v) => o with { SocketMode = v }, "the permissions of a UNIX socket Vouch listens on", SettingText.FileMode),
    ]);

    /// <summary>[milter]: the mail filter.</summary>
    public static ConfigurationSection Milter { get; } = new("milter", isTableList: false,
    [
        MilterKeys.String("listen", "string, inet:HOST:PORT or unix:/path", SettingText.TryParseMilterListen, o => o.Listen, (o, v) => o with { Listen = v }, "where vouch milter listens; --listen overrides it", endpoint => endpoint is System.Net.Sockets.UnixDomainSocketEndPoint ? ListenAddress.ToText(endpoint) : "inet:" + ListenAddress.ToText(endpoint)),
        MilterKeys.String("socket_mode", "string, octal permissions", SettingText.TryParseFileMode, o => o.SocketMode, (o, v) => o with { SocketMode = v }, "the permissions of a UNIX socket the milter listens on", SettingText.FileMode),
        MilterKeys.Word("decide_at", ConfigurationWords.DecisionPoints, o => o.DecideAt, (o, v) => o with { DecideAt = v }, "check at the first recipient or at the end of the message"),
        MilterKeys.StringList<TagHeader>("headers", "array of header names", SettingText.TryParseMilterHeader, o => o.Headers, (o, v) => o with { Headers = v }, "the headers inserted at the top of the message, topmost first",
            header => ConfigurationWords.MilterHeaders.First(word => word.Value == header).Word),
        MilterKeys.String<string?>("authserv_id", "string, a host name or \"\"", SettingText.TryParseOptionalHostName, o => o.AuthservId, (o, v) => o with { AuthservId = v }, "our authserv-id in Authentication-Results, written and looked for in forged ones", id => id ?? "").WithDefault("[server] host_name"),
        MilterKeys.Boolean("remove_forged_results", o => o.RemoveForgedResults, (o, v) => o with { RemoveForgedResults = v }, "delete Authentication-Results that carry our authserv-id"),
        MilterKeys.Boolean("skip_authenticated", o => o.SkipAuthenticated, (o, v) => o with { SkipAuthenticated = v }, "do not judge sessions that authenticated"),
        MilterKeys.Boolean("header_on_accept", o => o.HeaderOnAccept, (o, v) => o with { HeaderOnAccept = v }, "insert the headers on accepted mail too"),
        MilterKeys.Integer("max_packet_bytes", 65_536, 16 * 1024 * 1024, o => o.MaxPacketBytes, (o, v) => o with { MaxPacketBytes = v }, "a larger packet closes the connection"),
        MilterKeys.Integer("idle_timeout_seconds", 1, 86_400, o => (int)o.IdleTimeout.TotalSeconds, (o, v) => o with { IdleTimeout = TimeSpan.FromSeconds(v) }, "a connection silent this long is closed, in seconds"),
        MilterKeys.Integer("transaction_timeout_seconds", 1, 86_400, o => (int)o.TransactionTimeout.TotalSeconds, (o, v) => o with { TransactionTimeout = TimeSpan.FromSeconds(v) }, "a transaction lasting longer closes the connection, in seconds"),
        MilterKeys.Integer("progress_interval_seconds", 1, 600, o => (int)o.ProgressInterval.TotalSeconds, (o, v) => o with { ProgressInterval = TimeSpan.FromSeconds(v) }, "how often a long check tells the MTA to keep waiting, in seconds"),
    ]);

    /// <summary>[reputation]: owner reputation from spam reports, its store, tickets and report inputs.</summary>
    public static ConfigurationSection Reputation { get; } = new("reputation", isTableList: false,
    [
        ReputationKeys.Boolean("enabled", o => o.Enabled, (o, v) => o with { Enabled = v }, "keep owner reputation: sign tickets, take reports, weigh the owner_blocked, owner_suspect and client_blocked rows"),
        TopKeys.Word("mode", ConfigurationWords.Modes, c => c.Policy.ReputationMode, (c, v) => c with { Policy = c.Policy with { ReputationMode = v } }, "reputation's own grace period: monitor tags \"would refuse\"; enforce refuses when the global mode enforces too"),
        ReputationKeys.Word("store", ConfigurationWords.ReputationStores, o => o.Store, (o, v) => o with { Store = v }, "sqlite for one host, redis (or Valkey) for a fleet of MX hosts"),
        ReputationKeys.String("path", "string, an absolute file path", SettingText.TryParseAbsolutePath, o => o.Path, (o, v) => o with { Path = v }, "the SQLite database (made on first use)"),
        ReputationKeys.String("redis", "string, HOST:PORT[,options]", SettingText.TryParseAnyText, o => o.Redis, (o, v) => o with { Redis = v }, "the Redis or Valkey server (StackExchange.Redis configuration string)"),
        ReputationKeys.String("redis_prefix", "string, printable ASCII without spaces or braces", SettingText.TryParseRedisPrefix, o => o.RedisPrefix, (o, v) => o with { RedisPrefix = v }, "the prefix of every Redis key, so that fleets can share a server"),
        ReputationKeys.Integer("half_life_days", 1, 365, o => (int)o.HalfLife.TotalDays, (o, v) => o with { HalfLife = TimeSpan.FromDays(v) }, "spam, not-spam and delivered counts halve in this many days"),
        ReputationKeys.Integer("reporter_window_days", 1, 365, o => (int)o.ReporterWindow.TotalDays, (o, v) => o with { ReporterWindow = TimeSpan.FromDays(v) }, "distinct reporters are counted over this many days"),
        ReputationKeys.Integer("report_window_days", 1, 90, o => (int)o.ReportWindow.TotalDays, (o, v) => o with { ReportWindow = TimeSpan.FromDays(v) }, "a ticket older than this many days is refused as too old"),
        ReputationKeys.Integer("event_retention_days", 1, 3650, o => (int)o.EventRetention.TotalDays, (o, v) => o with { EventRetention = TimeSpan.FromDays(v) }, "reports are kept this many days for the event log and deduplication"),
        ReputationKeys.Number("reporter_daily_cap", 0.25, 1000, o => o.ReporterDailyCap, (o, v) => o with { ReporterDailyCap = v }, "the most units one reporter adds to one owner in one day"),
        ThresholdKeys.Number("block_spam", 0.5, 100_000, o => o.BlockSpam, (o, v) => o with { BlockSpam = v }, "spam units to block"),
        ThresholdKeys.Integer("block_reporters", 1, 100_000, o => o.BlockReporters, (o, v) => o with { BlockReporters = v }, "distinct reporters to block"),
        ThresholdKeys.Number("block_lower_bound", 0, 1, o => o.BlockLowerBound, (o, v) => o with { BlockLowerBound = v }, "the Wilson lower bound of the spam share to block"),
        ThresholdKeys.Number("release_spam", 0, 100_000, o => o.ReleaseSpam, (o, v) => o with { ReleaseSpam = v }, "a block is lifted below this many spam units"),
        ThresholdKeys.Number("release_lower_bound", 0, 1, o => o.ReleaseLowerBound, (o, v) => o with { ReleaseLowerBound = v }, "a block is lifted below this lower bound"),
        ThresholdKeys.Number("suspect_spam", 0.5, 100_000, o => o.SuspectSpam, (o, v) => o with { SuspectSpam = v }, "spam units to be suspect"),
        ThresholdKeys.Integer("suspect_reporters", 1, 100_000, o => o.SuspectReporters, (o, v) => o with { SuspectReporters = v }, "distinct reporters to be suspect"),
        ThresholdKeys.Number("suspect_lower_bound", 0, 1, o => o.SuspectLowerBound, (o, v) => o with { SuspectLowerBound = v }, "the Wilson lower bound of the spam share to be suspect"),
        ThresholdKeys.Number("clear_spam", 0, 100_000, o => o.ClearSpam, (o, v) => o with { ClearSpam = v }, "suspect is lifted below this many spam units"),
        ThresholdKeys.Number("clear_lower_bound", 0, 1, o => o.ClearLowerBound, (o, v) => o with { ClearLowerBound = v }, "suspect is lifted below this lower bound"),
        .. Enum.GetValues<ReportSource>().Select(source => ReputationKeys.Number(
            "weight_" + source.ToToken().Replace('-', '_'), 0, 100, o => o.WeightOf(source), (o, v) => o with { Weights = new Dictionary<ReportSource, double>(o.Weights) { [source] = v } },
            $"the units of one {source.ToToken()} report")),
        ReputationKeys.StringList<string>("providers", "array of domains", SettingText.TryParseMultiLabelDomain, o => o.Providers, (o, v) => o with { Providers = v }, "big shared providers: their owner rows stop at suspect, a sender's own row may block").WithDefault("a list of freemail and bulk-mail providers"),
        ReputationKeys.Word("suspect_action", ConfigurationWords.SuspectActions, o => o.SuspectDeferOnce, (o, v) => o with { SuspectDeferOnce = v }, "what owner_suspect does: tag, or defer an owner's first message from each address once a day and tag its retry"),
        ReputationKeys.Integer("provider_senders", 0, 1_000_000, o => o.ProviderSenders, (o, v) => o with { ProviderSenders = v }, "an owner seen with this many distinct MAIL FROM local parts in 30 days counts as a provider too; 0 turns that off"),
        ReputationKeys.StringList<string>("spamtraps", "array of mail addresses", SettingText.TryParseMailbox, o => o.Spamtraps, (o, v) => o with { Spamtraps = v }, "recipients that only spammers write to: a trap report at RCPT"),
        ReputationKeys.String<byte[]?>("ticket_key", "string, base64 of 16 or more bytes, or \"\"", SettingText.TryParseTicketKey, o => o.TicketKey, (o, v) => o with { TicketKey = v }, "the key tickets are signed with (a fleet shares it); \"\" uses ticket_key_file", SettingText.TicketKey),
        ReputationKeys.String<byte[]?>("previous_ticket_key", "string, base64 of 16 or more bytes, or \"\"", SettingText.TryParseTicketKey, o => o.PreviousTicketKey, (o, v) => o with { PreviousTicketKey = v }, "the key before the last rotation, still accepted", SettingText.TicketKey),
        ReputationKeys.String("ticket_key_file", "string, an absolute file path", SettingText.TryParseAbsolutePath, o => o.TicketKeyFile, (o, v) => o with { TicketKeyFile = v }, "where the ticket key is kept when ticket_key is \"\" (made on first use, mode 0600)"),
        ReputationKeys.String("node", "string", SettingText.TryParseAnyText, o => o.Node, (o, v) => o with { Node = v }, "this node's name in tickets").WithDefault("the machine's name"),
        ReputationKeys.String("report_listen", "string, HOST:PORT or \"\"", SettingText.TryParseMetricsListen, o => o.ReportListen, (o, v) => o with { ReportListen = v }, "where the report endpoint (POST /v1/reports) listens; \"\" turns it off", endpoint => endpoint?.ToString() ?? ""),
        ReputationKeys.String("report_token", "string", SettingText.TryParseAnyText, o => o.ReportToken, (o, v) => o with { ReportToken = v }, "the bearer token the report endpoint requires"),
        ReputationKeys.StringList<string>("trusted_reporters", "array of mail addresses and domains", SettingText.TryParseMailboxOrDomain, o => o.TrustedReporters, (o, v) => o with { TrustedReporters = v }, "senders whose ARF reports (RFC 5965) are taken"),
        ReputationKeys.Integer("refresh_ms", 100, 60_000, o => (int)o.RefreshInterval.TotalMilliseconds, (o, v) => o with { RefreshInterval = TimeSpan.FromMilliseconds(v) }, "how often the in-memory state map is read from the store, in milliseconds"),
    ]);

    /// <summary>The top level: the mode and the Public Suffix List, and every table.</summary>
    public static ConfigurationSection Top { get; } = new("", isTableList: false,
    [
        TopKeys.Word("mode", ConfigurationWords.Modes, c => c.Policy.Mode, (c, v) => c with { Policy = c.Policy with { Mode = v } }, "monitor (log and tag, never refuse) or enforce"),
        TopKeys.Moment("enforce_from", "date or offset date-time", c => c.Policy.EnforceFrom, (c, v) => c with { Policy = c.Policy with { EnforceFrom = v } }, "monitor until this moment, enforce from then on, whatever mode says"),
        TopKeys.String("public_suffix_list", "string, a file path", SettingText.TryParsePath, c => c.Registration.PublicSuffixListPath,
            (c, v) => c with { Registration = c.Registration with { PublicSuffixListPath = v } }, "the Public Suffix List file, which tells a domain's owner"),
    ],
    [Dns, Cache, Checks, Spf, Registration, Rmx, Lists, Policy, Server, Milter, Reputation]);

    /// <summary>Every table, the top level first, each before the tables inside it.</summary>
    public static IReadOnlyList<ConfigurationSection> All { get; } = [Top, .. Top.Tables.SelectMany(table => (ConfigurationSection[])[table, .. table.Tables])];

    /// <summary>
    /// The settings of <paramref name="configuration"/> that differ from their defaults, one line each as
    /// "dns.timeout_ms = 500 (default 2000): what it does", in the order of the tables and keys. DNS lists and
    /// rules are not among them (their tables are counted instead), nor keys kept in an old table.
    /// </summary>
    public static IReadOnlyList<string> DescribeChanges(VouchConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return
        [
            .. from section in All
               from key in section.Keys
               where key.MovedTo is null && key.Show(configuration) is { } value && value != key.Show(VouchConfiguration.Default)
               select $"{(section.Path.Length == 0 ? "" : section.Path + ".")}{key.Name} = {key.Show(configuration)} (default {key.Default}): {key.Summary}",
        ];
    }

    private static string Show(IReadOnlyList<AddressPrefix> prefixes) => "[" + string.Join(", ", prefixes.Select(prefix => ConfigurationKey.Quote(prefix.ToString()))) + "]";
}
