using System.Collections.Frozen;
using System.Net;
using System.Security;
using Tomlyn.Parsing;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Spf;

namespace Vouch.Configuration;

/// <summary>
/// Reads Vouch's TOML configuration file (docs/configuration.md) into a <see cref="VouchConfiguration"/>.
/// Reading is strict: an unknown key or table, a wrong type, a number out of range, an unknown word or a malformed
/// address, network, domain or status code is an error naming the file, line and dotted key, and what was expected.
/// Anything not set keeps the default of its option type; an empty file gives <see cref="VouchConfiguration.Default"/>.
/// </summary>
public static class ConfigurationLoader
{
    private const int DnsPort = 53;

    /// <summary>Reads configuration text.</summary>
    /// <param name="text">The TOML text.</param>
    /// <param name="fileName">The file name to give in messages.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The text is not valid TOML, or a setting is unknown or bad.</exception>
    public static VouchConfiguration Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var document = SyntaxParser.Parse(text, fileName, validate: true);
        if (document.HasErrors)
        {
            var errors = document.Diagnostics.Where(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error).ToList();
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more {(errors.Count == 2 ? "error" : "errors")})" : "";
            throw new ConfigurationException(fileName, Math.Max(errors[0].Span.Start.Line, 0) + 1, "", $"not valid TOML: {errors[0].Message}{more}");
        }

        return Read(new TableReader(
            fileName,
            ConfigTreeBuilder.Build(document, fileName),
            "mode", "enforce_from", "public_suffix_list", "dns", "cache", "checks", "spf", "registration", "rmx", "lists", "policy", "server"));
    }

    /// <summary>Reads a configuration file (UTF-8).</summary>
    /// <param name="path">The file's path, also used as its name in messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read (line 0), is not valid TOML, or a setting is unknown or bad.</exception>
    /// <exception cref="OperationCanceledException">The read was cancelled.</exception>
    public static async Task<VouchConfiguration> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException(path, 0, "", $"cannot read the file: {e.Message}", e);
        }

        return Parse(text, path);
    }

    private static VouchConfiguration Read(TableReader root)
    {
        // A DNS list's action is the policy's: the list finds, the block_listed row decides what a listing does.
        var listActions = new Dictionary<string, PolicyAction>(StringComparer.Ordinal);
        var deprecations = new List<string>();
        return new()
        {
            Dns = ReadDns(root),
            Cache = ReadCache(root),
            Checks = ReadChecks(root, deprecations),
            Spf = ReadSpf(root),
            Registration = ReadRegistration(root),
            Rmx = ReadRmx(root),
            Server = ReadServer(root),
            Lists = ReadLists(root, listActions),
            Policy = listActions.Count == 0 ? ReadPolicy(root) : ReadPolicy(root) with { ListActions = listActions.ToFrozenDictionary(StringComparer.Ordinal) },
            Deprecations = OrEmpty(deprecations),
        };
    }

    private static NetworkResolverOptions ReadDns(TableReader root)
    {
        var dns = root.Table("dns", "servers", "timeout_ms", "retries", "udp_payload_size", "min_retransmit_ms", "max_transmissions", "max_in_flight", "socket_max_queries", "socket_max_age_seconds");
        var defaults = new NetworkResolverOptions();
        return defaults with
        {
            Servers = dns.StringList("servers", defaults.Servers, TryParseServer),
            Timeout = TimeSpan.FromMilliseconds(dns.Integer("timeout_ms", (int)defaults.Timeout.TotalMilliseconds, 1, 60_000)),
            Retries = dns.Integer("retries", defaults.Retries, 0, 10),
            // RFC 6891 §6.2.5: below 512 is treated as 512; above 4096 invites fragmentation.
            UdpPayloadSize = dns.Integer("udp_payload_size", defaults.UdpPayloadSize, 512, 4096),
            MinimumRetransmitInterval = TimeSpan.FromMilliseconds(dns.Integer("min_retransmit_ms", (int)defaults.MinimumRetransmitInterval.TotalMilliseconds, 1, 60_000)),
            MaxTransmissions = dns.Integer("max_transmissions", defaults.MaxTransmissions, 1, 20),
            MaxInFlightPerServer = dns.Integer("max_in_flight", defaults.MaxInFlightPerServer, 1, 16_384),
            SocketMaxQueries = dns.Integer("socket_max_queries", defaults.SocketMaxQueries, 1, 10_000_000),
            SocketMaxAge = TimeSpan.FromSeconds(dns.Integer("socket_max_age_seconds", (int)defaults.SocketMaxAge.TotalSeconds, 1, 86_400)),
        };
    }

    private static DnsCacheOptions ReadCache(TableReader root)
    {
        var cache = root.Table("cache", "max_entries", "min_ttl_seconds", "max_ttl_seconds", "failure_ttl_seconds");
        var defaults = new DnsCacheOptions();
        var minimum = cache.Integer("min_ttl_seconds", (int)defaults.MinimumTtl.TotalSeconds, 0, 86_400);
        var maximum = cache.Integer("max_ttl_seconds", (int)defaults.MaximumTtl.TotalSeconds, 1, 604_800);
        if (minimum > maximum)
        {
            throw cache.Error(cache.Has("min_ttl_seconds") ? "min_ttl_seconds" : "max_ttl_seconds", $"min_ttl_seconds ({minimum}) is more than max_ttl_seconds ({maximum})");
        }

        return defaults with
        {
            MaxEntries = cache.Integer("max_entries", defaults.MaxEntries, 1, 10_000_000),
            MinimumTtl = TimeSpan.FromSeconds(minimum),
            MaximumTtl = TimeSpan.FromSeconds(maximum),
            // RFC 2308 §7.1: a server failure must not be cached for more than five minutes.
            FailureTtl = TimeSpan.FromSeconds(cache.Integer("failure_ttl_seconds", (int)defaults.FailureTtl.TotalSeconds, 0, 300)),
        };
    }

    // The whole check's options lived under [spf]; there they still work, noted as deprecated, and given in both places they are an error.
    private static ChecksOptions ReadChecks(TableReader root, List<string> deprecations)
    {
        var checks = root.Table("checks", "deadline_seconds", "check_helo");
        var spf = root.Table("spf", "max_dns_lookups", "max_void_lookups", "deadline_seconds", "receiving_host", "default_explanation", "check_helo");
        foreach (var key in (string[])["deadline_seconds", "check_helo"])
        {
            if (spf.Has(key))
            {
                if (checks.Has(key))
                {
                    throw spf.Error(key, $"is given in [checks] too (line {checks.LineOf(key)}); [spf] {key} is deprecated: remove it and keep [checks] {key}");
                }

                deprecations.Add($"{spf.Where(key)}: [spf] {key} is deprecated; use [checks] {key}");
            }
        }

        var defaults = ChecksOptions.Default;
        return defaults with
        {
            Deadline = TimeSpan.FromSeconds(checks.Integer("deadline_seconds", spf.Integer("deadline_seconds", (int)defaults.Deadline.TotalSeconds, 1, 600), 1, 600)),
            CheckHelo = checks.Boolean("check_helo", spf.Boolean("check_helo", defaults.CheckHelo)),
        };
    }

    private static SpfOptions ReadSpf(TableReader root)
    {
        var spf = root.Table("spf", "max_dns_lookups", "max_void_lookups", "deadline_seconds", "receiving_host", "default_explanation", "check_helo");
        var defaults = SpfOptions.Default;
        return defaults with
        {
            MaxDnsLookups = spf.Integer("max_dns_lookups", defaults.MaxDnsLookups, 1, 100),
            MaxVoidLookups = spf.Integer("max_void_lookups", defaults.MaxVoidLookups, 0, 100),
            ReceivingHost = spf.String("receiving_host", defaults.ReceivingHost, DomainNameText.TryParse),
            DefaultExplanation = spf.String("default_explanation", defaults.DefaultExplanation, TryParseExplanation),
        };
    }

    private static RegistrationOptions ReadRegistration(TableReader root)
    {
        var registration = root.Table("registration", "enabled", "implicit_mx", "match_prefix_ipv4", "match_prefix_ipv6", "max_mx_hosts", "max_ptr_names", "query_budget");
        var defaults = new RegistrationOptions();
        return defaults with
        {
            Enabled = registration.Boolean("enabled", defaults.Enabled),
            ImplicitMx = registration.Boolean("implicit_mx", defaults.ImplicitMx),
            MatchPrefixLengthIPv4 = registration.OptionalInteger("match_prefix_ipv4", 0, 32) ?? defaults.MatchPrefixLengthIPv4,
            MatchPrefixLengthIPv6 = registration.OptionalInteger("match_prefix_ipv6", 0, 128) ?? defaults.MatchPrefixLengthIPv6,
            MaxMxHostsPerDomain = registration.Integer("max_mx_hosts", defaults.MaxMxHostsPerDomain, 1, 100),
            MaxPtrNames = registration.Integer("max_ptr_names", defaults.MaxPtrNames, 1, 100),
            QueryBudget = registration.Integer("query_budget", defaults.QueryBudget, 1, 1000),
            PublicSuffixListPath = root.String("public_suffix_list", defaults.PublicSuffixListPath, TryParsePath),
        };
    }

    private static PolicyServerOptions ReadServer(TableReader root)
    {
        var server = root.Table("server", "listen", "metrics_listen", "host_name", "header", "check_at_mail", "skip_authenticated", "skip_networks", "json_log", "idle_timeout_seconds", "max_request_bytes", "instance_cache_size", "skip_domains", "header_on_accept", "failure_action", "socket_mode");
        var defaults = new PolicyServerOptions();
        return defaults with
        {
            Listen = server.String("listen", defaults.Listen, TryParseListen),
            MetricsListen = server.String("metrics_listen", defaults.MetricsListen, TryParseMetricsListen),
            HostName = server.String("host_name", defaults.HostName, TryParseHostName),
            Header = server.String("header", defaults.Header, TryParseHeader),
            CheckAtMail = server.Boolean("check_at_mail", defaults.CheckAtMail),
            SkipAuthenticated = server.Boolean("skip_authenticated", defaults.SkipAuthenticated),
            SkipNetworks = server.StringList("skip_networks", defaults.SkipNetworks, AddressPrefixText.TryParse),
            JsonLog = server.Boolean("json_log", defaults.JsonLog),
            IdleTimeout = TimeSpan.FromSeconds(server.Integer("idle_timeout_seconds", (int)defaults.IdleTimeout.TotalSeconds, 1, 86400)),
            MaxRequestBytes = server.Integer("max_request_bytes", defaults.MaxRequestBytes, 1024, 1024 * 1024),
            InstanceCacheSize = server.Integer("instance_cache_size", defaults.InstanceCacheSize, 1, 10_000_000),
            SkipDomains = server.StringList("skip_domains", defaults.SkipDomains, TryParseDomain),
            HeaderOnAccept = server.Boolean("header_on_accept", defaults.HeaderOnAccept),
            FailureAction = server.String("failure_action", defaults.FailureAction, TryParseFailureAction),
            SocketMode = server.String("socket_mode", defaults.SocketMode, TryParseFileMode),
        };
    }

    private static RmxOptions ReadRmx(TableReader root)
    {
        var rmx = root.Table("rmx", "enabled", "max_dns_entries", "max_mx_hosts");
        var defaults = new RmxOptions();
        return defaults with
        {
            Enabled = rmx.Boolean("enabled", defaults.Enabled),
            MaxDnsEntries = rmx.Integer("max_dns_entries", defaults.MaxDnsEntries, 1, 100),
            MaxMxHosts = rmx.Integer("max_mx_hosts", defaults.MaxMxHosts, 1, 100),
        };
    }

    private static ListOptions ReadLists(TableReader root, Dictionary<string, PolicyAction> listActions)
    {
        var lists = root.Table("lists", "allow", "block", "self_test_interval_minutes", "dns");
        var allow = lists.StringList<ListEntry>("allow", [], ListEntry.TryParse);
        var block = lists.StringList<ListEntry>("block", [], ListEntry.TryParse);
        var dnsLists = new List<DnsListDefinition>();
        foreach (var list in lists.TableList("dns", "name", "zone", "type", "listed", "errors", "action") ?? [])
        {
            var definition = ReadDnsList(list);
            if (dnsLists.Find(d => d.Name == definition.Name) is not null)
            {
                throw list.Error("name", $"'{definition.Name}' names another DNS list too; each needs its own name for logs and reasons");
            }

            dnsLists.Add(definition);
            listActions[definition.Name] = list.Word("action", PolicyAction.Reject, ConfigurationWords.Actions);
        }

        var defaults = new ListOptions();
        return defaults with
        {
            AllowAddresses = OrEmpty(allow.Where(e => e.Prefix is not null).Select(e => e.Prefix!.Value)),
            AllowDomains = OrEmpty(allow.Where(e => e.Domain is not null).Select(e => e.Domain!)),
            BlockAddresses = OrEmpty(block.Where(e => e.Prefix is not null).Select(e => e.Prefix!.Value)),
            BlockDomains = OrEmpty(block.Where(e => e.Domain is not null).Select(e => e.Domain!)),
            DnsLists = OrEmpty(dnsLists),
            SelfTestInterval = TimeSpan.FromMinutes(lists.Integer("self_test_interval_minutes", (int)defaults.SelfTestInterval.TotalMinutes, 1, 1440)),
        };
    }

    // The shared empty list when nothing is listed, so a file without lists equals the defaults.
    private static T[] OrEmpty<T>(IEnumerable<T> items) => items.ToArray() is { Length: > 0 } array ? array : [];

    private static DnsListDefinition ReadDnsList(TableReader list) => new(
        Name: list.RequiredString("name"),
        Zone: list.RequiredString<string>("zone", "the list's DNS zone, such as zen.dnsbl.example", DomainNameText.TryParse),
        Kind: list.RequiredWord("type", ConfigurationWords.ListKinds),
        ListedAnswers: list.StringList("listed", DnsListDefinition.DefaultListedAnswers, AddressPrefixText.TryParseIPv4),
        ErrorAnswers: list.StringList("errors", DnsListDefinition.DefaultErrorAnswers, AddressPrefixText.TryParseIPv4));

    private static PolicyOptions ReadPolicy(TableReader root)
    {
        var policy = root.Table("policy", "softfail_action", "neutral_action", "none_action", "permerror_action",
            "helo_missing_action", "helo_malformed_action", "helo_literal_mismatch_action", "sender_malformed_action", "client_unreadable_action", "rules");
        (string Key, RuleCondition When)[] shortcuts =
        [
            ("softfail_action", RuleCondition.SpfSoftFail),
            ("neutral_action", RuleCondition.SpfNeutral),
            ("none_action", RuleCondition.SpfNone),
            ("permerror_action", RuleCondition.SpfPermError),
        ];

        // Rows the default table lacks: each shortcut adds its row, with its action, after the allow list.
        (string Key, DecisionRule Row)[] addedRows =
        [
            ("client_unreadable_action", DecisionTable.ClientUnreadable),
            .. DecisionTable.IdentityRows.Select(row => (row.When.ToToken() + "_action", row)),
        ];

        var ruleTables = policy.TableList("rules", "when", "verdict", "action", "code", "reason");
        IReadOnlyList<DecisionRule> rules = DecisionTable.Default;
        if (ruleTables is null)
        {
            foreach (var (key, when) in shortcuts)
            {
                if (policy.Has(key))
                {
                    var action = policy.Word(key, PolicyAction.Reject, ConfigurationWords.Actions);
                    rules = [.. rules.Select(rule => rule.When == when ? WithAction(rule, action) : rule)];
                }
            }

            var afterAllowList = 0;
            while (afterAllowList < rules.Count && rules[afterAllowList].When == RuleCondition.AllowListed)
            {
                afterAllowList++;
            }

            var added = new List<DecisionRule>();
            foreach (var (key, row) in addedRows)
            {
                if (policy.Has(key))
                {
                    added.Add(WithAction(row, policy.Word(key, row.Action, ConfigurationWords.Actions)));
                }
            }

            if (added.Count > 0)
            {
                rules = [.. rules.Take(afterAllowList), .. added, .. rules.Skip(afterAllowList)];
            }
        }
        else
        {
            foreach (var key in shortcuts.Select(shortcut => shortcut.Key).Concat(addedRows.Select(row => row.Key)))
            {
                if (policy.Has(key))
                {
                    throw policy.Error(key, "changes a row of the default table, which [[policy.rules]] replaces; give the action in the rule instead");
                }
            }

            rules = ReadRules(ruleTables, policy);
        }

        var defaults = new PolicyOptions();
        return defaults with
        {
            Mode = root.Word("mode", defaults.Mode, ConfigurationWords.Modes),
            EnforceFrom = root.OptionalMoment("enforce_from"),
            Rules = rules,
        };
    }

    // A softened action keeps the row's verdict and reason; only the status code follows the action.
    private static DecisionRule WithAction(DecisionRule rule, PolicyAction action) => rule with
    {
        Action = action,
        StatusCode = action switch
        {
            PolicyAction.Accept or PolicyAction.Tag => "",
            _ when rule.StatusCode.Length == 0 => "",
            PolicyAction.Defer => "4" + rule.StatusCode[1..],
            _ => "5" + rule.StatusCode[1..],
        },
    };

    private static List<DecisionRule> ReadRules(IReadOnlyList<TableReader> tables, TableReader policy)
    {
        var rules = new List<DecisionRule>(tables.Count);
        foreach (var table in tables)
        {
            if (rules.Count > 0 && rules[^1].When == RuleCondition.Always)
            {
                throw table.Error("when", "can never apply: the rule before it is 'always'; 'always' must be the last rule");
            }

            var action = table.RequiredWord("action", ConfigurationWords.Actions);
            var code = table.OptionalString("code") ?? "";
            if (!EnhancedStatusCodeText.TryCheck(code, action, out var problem))
            {
                throw table.Error("code", problem);
            }

            rules.Add(new DecisionRule(
                When: table.RequiredWord("when", ConfigurationWords.Conditions),
                Verdict: table.RequiredWord("verdict", ConfigurationWords.Verdicts),
                Action: action,
                StatusCode: code,
                Reason: table.RequiredString<string>("reason", "the text given to the client and logged", TryParseReason)));
        }

        if (rules.Count == 0)
        {
            throw policy.Error("rules", "has no rules; the last rule must be 'always' so every request gets a verdict");
        }

        if (rules[^1].When != RuleCondition.Always)
        {
            throw tables[^1].Error("when", "the last rule must be 'always' so every request gets a verdict");
        }

        return rules;
    }

    private static bool TryParseServer(string text, out IPEndPoint value, out string problem)
    {
        var ok = EndpointText.TryParse(text, DnsPort, out var endpoint, out var error);
        value = endpoint!;
        problem = error ?? "";
        return ok;
    }

    private static bool TryParseExplanation(string text, out string value, out string problem)
    {
        value = text;
        problem = "";
        if (MacroString.TryParse(text, 1, isExplanation: true, out _, out var error))
        {
            return true;
        }

        problem = $"is not an SPF explain-string (RFC 7208 §6.2): {error}";
        return false;
    }

    private static bool TryParseListen(string text, out string value, out string problem)
    {
        value = text;
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            problem = text.Length > 5 ? "" : "is 'unix:' without a path; expected e.g. unix:/run/vouch/policy.sock";
            return text.Length > 5;
        }

        var valid = EndpointText.TryParse(text, 10040, out _, out var error);
        problem = valid ? "" : $"{error} (or unix:/path)";
        return valid;
    }

    private static bool TryParseMetricsListen(string text, out string value, out string problem)
    {
        value = text;
        var valid = text.Length == 0 || EndpointText.TryParse(text, 9110, out _, out _);
        problem = valid ? "" : "is not HOST:PORT (an IP address and a port), or \"\" to turn the endpoint off";
        return valid;
    }

    private static bool TryParseHeader(string text, out string value, out string problem)
    {
        value = text;
        var valid = text is "received-spf" or "authentication-results" or "x-rmx" or "none";
        problem = valid ? "" : "is not a header choice; expected \"received-spf\", \"authentication-results\", \"x-rmx\" or \"none\"";
        return valid;
    }

    private static bool TryParseFileMode(string text, out UnixFileMode value, out string problem)
    {
        var valid = text.Length is >= 3 and <= 4 && text.All(c => c is >= '0' and <= '7');
        value = valid ? (UnixFileMode)Convert.ToInt32(text, 8) : default;
        problem = valid ? "" : $"'{text}' is not a file mode; expected octal permissions such as \"0660\"";
        return valid;
    }

    private static bool TryParseFailureAction(string text, out string value, out string problem)
    {
        value = text;
        var valid = text is "auto" or "dunno" or "defer";
        problem = valid ? "" : "is not a failure action; expected \"auto\", \"dunno\" or \"defer\"";
        return valid;
    }

    private static bool TryParseDomain(string text, out string value, out string problem)
    {
        var valid = DnsName.IsValidMultiLabel(text);
        value = valid ? DnsName.Normalize(text) : text;
        problem = valid ? "" : $"'{text}' is not a domain name; expected a name such as example.org";
        return valid;
    }

    private static bool TryParseHostName(string text, out string value, out string problem)
    {
        value = text;
        var valid = text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
        problem = valid ? "" : "is not a host name; expected letters, digits, '.', '-'";
        return valid;
    }

    private static bool TryParsePath(string text, out string value, out string problem)
    {
        value = text;
        problem = text.Length == 0 ? "is empty; expected the path of the Public Suffix List file" : "";
        return text.Length > 0;
    }

    private static bool TryParseReason(string text, out string value, out string problem)
    {
        value = text;
        return ReasonTemplate.IsValid(text, out problem);
    }
}
