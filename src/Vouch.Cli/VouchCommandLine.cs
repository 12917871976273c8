using System.CommandLine;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Network;
using Vouch.Server;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Cli;

/// <summary>The vouch command line: its commands, options and how each runs.</summary>
internal static class VouchCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = Build(input, output, error);
        // No response files: "@example.net" is a sender an SMTP client may send, not a file to read.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"vouch: {parseError.Message}");
            }

            await error.WriteLineAsync("Run 'vouch --help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(configuration, cancellationToken);
    }

    private static RootCommand Build(TextReader input, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Vouch: is the sending mail server registered? SPF (RFC 7208) checks with explanations.");
        root.Subcommands.Add(BuildCheck(input, output, error));
        root.Subcommands.Add(BuildExplain(output, error));
        root.Subcommands.Add(BuildServe(input, output, error));
        root.Subcommands.Add(BuildMilter(output, error));
        root.Subcommands.Add(BuildAudit(output, error));
        root.Subcommands.Add(BuildRollout(input, output, error));
        root.Subcommands.Add(BuildReplay(input, output, error));
        root.Subcommands.Add(ReputationCommands.BuildReport(input, output, error));
        root.Subcommands.Add(ReputationCommands.BuildReputation(output, error));
        root.Subcommands.Add(BuildManPages(root, output, error));
        return root;
    }

    /// <summary>Hidden: writes the man pages (vouch.1, vouch-COMMAND.1) from the commands' own help, for the package.</summary>
    private static Command BuildManPages(RootCommand root, TextWriter output, TextWriter error)
    {
        var folder = new Argument<string>("FOLDER") { Description = "Where the pages go." };
        var date = new Option<string>("--date") { Description = "The pages' date, YYYY-MM-DD (default: today, UTC).", HelpName = "DATE" };
        var command = new Command("manpages", "Write the man pages.") { folder, date };
        command.Hidden = true;
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var when = result.GetValue(date) is { } text
                ? DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : throw new UsageException($"--date: '{text}' is not a date YYYY-MM-DD")
                : DateOnly.FromDateTime(DateTime.UtcNow);
            var version = typeof(VouchCommandLine).Assembly.GetName().Version?.ToString(3) ?? "0";
            var target = result.GetValue(folder)!;
            Directory.CreateDirectory(target);
            await File.WriteAllTextAsync(Path.Combine(target, "vouch.1"), ManPage.Render(root, "vouch", "vouch", version, when), cancellationToken);
            foreach (var sub in root.Subcommands.Where(sub => !sub.Hidden))
            {
                await File.WriteAllTextAsync(Path.Combine(target, $"vouch-{sub.Name}.1"), ManPage.Render(sub, $"vouch-{sub.Name}", $"vouch {sub.Name}", version, when), cancellationToken);
            }

            await output.WriteLineAsync($"vouch: man pages written to {target}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Option<string> IpOption() => new("--ip") { Description = "The SMTP client's IP address (IPv4 or IPv6)." };

    private static Option<string> SenderOption() => new("--sender")
    {
        Description = "The MAIL FROM address exactly as the client sent it (any text; --sender=VALUE for one that begins with '-'); omit or give \"\" for a bounce.",
    };

    private static Option<string> HeloOption() => new("--helo")
    {
        Description = "The HELO/EHLO name exactly as the client gave it (any text; --helo=VALUE for one that begins with '-'); omit or give \"\" when it gave none.",
    };

    internal static Option<string[]> ZoneOption() => new("--zone")
    {
        Description = "An RFC 1035 zone file to answer DNS questions from; repeat for several.",
        Arity = ArgumentArity.OneOrMore,
    };

    internal static Option<string[]> DnsOption() => new("--dns")
    {
        Description = "A DNS server to ask, HOST[:PORT] (an IP address; port 53 by default); repeat for several. Without --dns and --zone, the servers in /etc/resolv.conf.",
        Arity = ArgumentArity.OneOrMore,
        HelpName = "HOST[:PORT]",
    };

    internal static Option<string> ConfigOption() => new("--config")
    {
        Description = "A TOML configuration file (see docs/configuration.md); without it, the defaults (monitor mode).",
        HelpName = "FILE",
    };

    private static Command BuildCheck(TextReader input, TextWriter output, TextWriter error)
    {
        var ip = IpOption();
        var sender = SenderOption();
        var helo = HeloOption();
        var zone = ZoneOption();
        var dns = DnsOption();
        var config = ConfigOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a summary." };
        var batch = new Option<string>("--batch")
        {
            Description = "Read JSON Lines {\"ip\",\"sender\",\"helo\"} from FILE, or stdin for '-'; write one JSON answer per line, in order.",
            HelpName = "FILE|-",
        };
        var stats = new Option<int?>("--stats")
        {
            Description = "With --batch: every N lines and at the end, print throughput, DNS queries and latency to stderr.",
            HelpName = "N",
        };
        var command = new Command("check", "Check a client, HELO name and sender; print the verdict.") { ip, sender, helo, zone, dns, config, json, batch, stats };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var zones = result.GetValue(zone) ?? [];
            var servers = result.GetValue(dns) ?? [];
            if (result.GetValue(batch) is { } batchSource)
            {
                if (result.GetResult(ip) is not null || result.GetResult(sender) is not null || result.GetResult(helo) is not null)
                {
                    throw new UsageException("--batch reads ip, sender and helo from its input; do not give --ip, --sender or --helo with it");
                }

                var (batchChecker, setup) = await CheckerFactory.CreateAsync(new ServiceSources(result.GetValue(config), zones, servers), collectTrace: false, error, null, cancellationToken);
                await using var ownedSetup = setup;
                var statistics = result.GetValue(stats) is { } window
                    ? window > 0 ? new BatchStatistics(window, setup.Cache, error) : throw new UsageException($"--stats: {window} lines, expected a positive number")
                    : null;
                var reader = batchSource == "-" ? input : OpenBatchFile(batchSource);
                try
                {
                    await new BatchRunner(batchChecker, statistics).RunAsync(reader, output, cancellationToken);
                }
                finally
                {
                    if (!ReferenceEquals(reader, input))
                    {
                        reader.Dispose();
                    }
                }

                return ExitCodes.Success;
            }

            var request = ReadRequest(result.GetValue(ip), result.GetValue(sender), result.GetValue(helo));
            var (checker, checkSetup) = await CheckerFactory.CreateAsync(new ServiceSources(result.GetValue(config), zones, servers), collectTrace: false, error, null, cancellationToken);
            await using var ownedCheckSetup = checkSetup;
            var outcome = await checker.CheckAsync(request, cancellationToken);
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(BatchRunner.ToJson(outcome));
            }
            else
            {
                HumanReport.WriteVisibly(output, report => HumanReport.Write(report, outcome));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildExplain(TextWriter output, TextWriter error)
    {
        var ip = IpOption();
        var sender = SenderOption();
        var helo = HeloOption();
        var zone = ZoneOption();
        var dns = DnsOption();
        var config = ConfigOption();
        var command = new Command("explain", "Check like 'check', then print every DNS query and term evaluated, and why the verdict followed.") { ip, sender, helo, zone, dns, config };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var request = ReadRequest(result.GetValue(ip), result.GetValue(sender), result.GetValue(helo));
            var (checker, setup) = await CheckerFactory.CreateAsync(new ServiceSources(result.GetValue(config), result.GetValue(zone) ?? [], result.GetValue(dns) ?? []), collectTrace: true, error, null, cancellationToken);
            await using var ownedSetup = setup;
            var outcome = await checker.CheckAsync(request, cancellationToken);
            var rows = await ReputationCommands.RowsOfAsync(setup.Reputation, outcome.Evidence.Reputation, cancellationToken);
            HumanReport.WriteVisibly(output, report => ExplainReport.Write(report, outcome, rows, checker.Configuration.Reputation));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildServe(TextReader input, TextWriter output, TextWriter error)
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Where to listen: HOST:PORT for TCP or unix:/path/to/socket; default the configuration's [server] listen, 127.0.0.1:10040.",
            HelpName = "ADDRESS",
        };
        var stdio = new Option<bool>("--stdio") { Description = "Serve one connection on stdin/stdout (Postfix's spawn service); the log goes to syslog (/dev/log), since spawn connects stderr to the same socket." };
        var checkConfig = new Option<bool>("--check-config") { Description = "Validate the configuration (and zone files, DNS servers, Public Suffix List), report, and exit: 0 when usable, 2 otherwise." };
        var zone = ZoneOption();
        var dns = DnsOption();
        var config = ConfigOption();
        var command = new Command("serve", "Run the Postfix policy service (check_policy_service).") { listen, stdio, checkConfig, zone, dns, config };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var sources = new ServiceSources(result.GetValue(config), result.GetValue(zone) ?? [], result.GetValue(dns) ?? []);
            if (result.GetValue(checkConfig))
            {
                var (checker, resolverSetup) = await CheckerFactory.CreateAsync(sources, collectTrace: false, error, null, cancellationToken);
                await using var ownedSetup = resolverSetup;
                var listenText = result.GetValue(listen) ?? ListenAddress.ToText(checker.Configuration.Server.Listen);
                _ = ListenEndpoint(listenText);
                await output.WriteLineAsync($"vouch: configuration OK ({(result.GetValue(config) ?? "defaults")}): mode {Vouch.Policy.Decision.Token(checker.Configuration.Policy.ModeAt(DateTimeOffset.UtcNow))}, {checker.Configuration.Policy.Rules.Count} rules, {checker.Configuration.Lists.DnsLists.Count} DNS lists, listen {listenText}");
                foreach (var change in Vouch.Configuration.ConfigurationSchema.DescribeChanges(checker.Configuration))
                {
                    await output.WriteLineAsync($"vouch: set {change}");
                }

                foreach (var deprecation in checker.Configuration.Deprecations)
                {
                    await output.WriteLineAsync($"vouch: note: {deprecation}");
                }

                await DescribeReputationAsync(output, resolverSetup.Reputation, checker.Configuration.Policy.ReputationMode);
                return ExitCodes.Success;
            }

            // Postfix's spawn connects stderr to the SMTP server's socket as well: with --stdio the log goes to syslog.
            using var syslog = result.GetValue(stdio) ? new SyslogLineWriter() : null;
            await using var host = await PolicyServiceHost.StartAsync(sources, syslog ?? error, cancellationToken);
            if (result.GetValue(stdio))
            {
                await host.ServeConnectionAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), cancellationToken);
            }
            else
            {
                var endpoint = result.GetValue(listen) is { } given ? ListenEndpoint(given) : host.Current.Checker.Configuration.Server.Listen;
                await host.ListenAsync(endpoint, null, cancellationToken);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildMilter(TextWriter output, TextWriter error)
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Where to listen: inet:HOST:PORT (or HOST:PORT) for TCP, or unix:/path/to/socket; default the configuration's [milter] listen, inet:127.0.0.1:8891.",
            HelpName = "ADDRESS",
        };
        var checkConfig = new Option<bool>("--check-config") { Description = "Validate the configuration (and zone files, DNS servers, Public Suffix List), report, and exit: 0 when usable, 2 otherwise." };
        var zone = ZoneOption();
        var dns = DnsOption();
        var config = ConfigOption();
        var command = new Command("milter", "Run the mail filter (milter protocol 6) for Postfix's smtpd_milters or Sendmail's INPUT_MAIL_FILTER.") { listen, checkConfig, zone, dns, config };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var sources = new ServiceSources(result.GetValue(config), result.GetValue(zone) ?? [], result.GetValue(dns) ?? [], FrontEnd.Milter);
            if (result.GetValue(checkConfig))
            {
                var (checker, resolverSetup) = await CheckerFactory.CreateAsync(sources, collectTrace: false, error, null, cancellationToken, FrontEnd.Milter);
                await using var ownedSetup = resolverSetup;
                var listenText = result.GetValue(listen) ?? ListenAddress.ToText(checker.Configuration.Milter.Listen);
                _ = MilterEndpoint(listenText);
                await output.WriteLineAsync($"vouch: configuration OK ({(result.GetValue(config) ?? "defaults")}): mode {Vouch.Policy.Decision.Token(checker.Configuration.Policy.ModeAt(DateTimeOffset.UtcNow))}, milter decides at {Vouch.Policy.Decision.Token(checker.Configuration.Milter.DecideAt)}, listen {listenText}");
                return ExitCodes.Success;
            }

            await using var host = await PolicyServiceHost.StartAsync(sources, error, cancellationToken);
            var endpoint = result.GetValue(listen) is { } given ? MilterEndpoint(given) : host.Current.Checker.Configuration.Milter.Listen;
            await host.ListenMilterAsync(endpoint, null, cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static System.Net.EndPoint MilterEndpoint(string text) =>
        ListenAddress.TryParse(text, MilterOptions.DefaultPort, out var endpoint, out var problem) ? endpoint! : throw new UsageException($"--listen: {problem}");

    private static System.Net.EndPoint ListenEndpoint(string text) =>
        ListenAddress.TryParse(text, PolicyServerOptions.DefaultPort, out var endpoint, out var problem) ? endpoint! : throw new UsageException($"--listen: {problem}");

    /// <summary>
    /// The request from the options. Only the address is a person's input that can be wrong; the sender
    /// and HELO are what an SMTP client sent, judged as they are, whatever they hold.
    /// </summary>
    private static CheckRequest ReadRequest(string? ip, string? sender, string? helo)
    {
        if (ip is null)
        {
            throw new UsageException("--ip is required: the SMTP client's IP address");
        }

        return CheckRequest.TryParseClient(ip, out var client, out var problem)
            ? CheckRequest.Create(client!, sender, helo)
            : throw new UsageException("--" + problem);
    }

    private static StreamReader OpenBatchFile(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--batch: cannot read '{path}': {exception.Message}");
        }
    }

    private static Command BuildRollout(TextReader input, TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Decision log files (JSON lines, as [server] decision_log or json_log write them; gzip read as is), or '-' for stdin (journalctl -o cat -u vouch). Default: stdin.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var config = new Option<string>("--config")
        {
            Description = "What-if: decide every recorded request again from its recorded evidence under this configuration's decision table (no DNS), and show what changes.",
            HelpName = "NEW.toml",
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON (schema vouch-rollout/1, docs/decision-log.md)." };
        var csv = new Option<bool>("--csv") { Description = "Print the summary's tables as CSV." };
        var html = new Option<string>("--html") { Description = "Also write a self-contained HTML report (charts and tables) to FILE.", HelpName = "FILE" };
        var command = new Command("rollout", "Read the decision log: what enforcement would refuse and defer, by rule, week, owner, domain and network; what another table would change.") { files, config, json, csv, html };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            if (result.GetValue(json) && result.GetValue(csv))
            {
                throw new UsageException("--json and --csv: give one of them");
            }

            var sources = result.GetValue(files) is { Length: > 0 } given ? given : ["-"];
            if (sources.Count(s => s == "-") > 1)
            {
                throw new UsageException("'-' (stdin) can be read once only");
            }

            var format = result.GetValue(json) ? Rollout.RolloutRun.Format.Json : result.GetValue(csv) ? Rollout.RolloutRun.Format.Csv : Rollout.RolloutRun.Format.Text;
            return await Rollout.RolloutRun.RunAsync(sources, result.GetValue(config), format, result.GetValue(html), input, output, cancellationToken);
        }));
        return command;
    }

    private static Command BuildAudit(TextWriter output, TextWriter error)
    {
        var domain = new Argument<string>("DOMAIN") { Description = "The domain whose outbound servers are audited." };
        var ips = new Option<string[]>("--ip") { Description = "An outbound server to audit (repeat); default: discovered from the domain's DNS (its MX hosts, its SPF's own terms).", HelpName = "IP" };
        var helos = new Option<string[]>("--helo") { Description = "A HELO name the servers greet with (repeat); default: each server's confirmed PTR names and MX host names.", HelpName = "NAME" };
        var mailFroms = new Option<string[]>("--mail-from") { Description = "A MAIL FROM address to audit besides postmaster@DOMAIN and the bounce (repeat).", HelpName = "ADDR" };
        var offline = new Option<bool>("--offline") { Description = "Ask no network: the zone files answer everything (names outside them do not exist)." };
        var format = new Option<string>("--format") { Description = "text (default), json, or zone (just the records to publish, as zone-file lines).", HelpName = "FORMAT", DefaultValueFactory = _ => "text" };
        var failOn = new Option<string>("--fail-on") { Description = "What exits 1: error (default: errors and servers that are not white), warn (warnings too) or never.", HelpName = "LEVEL", DefaultValueFactory = _ => "error" };
        var zone = new Option<string[]>("--zone")
        {
            Description = "An RFC 1035 zone file whose names it answers, shadowing live DNS for them (what-if: records not published yet); repeat for several.",
            HelpName = "FILE",
        };
        var dns = DnsOption();
        var config = new Option<string>("--config")
        {
            Description = "The receiver's TOML configuration (its decision table, lists, limits); default: Vouch's defaults.",
            HelpName = "FILE",
        };
        var command = new Command("audit", "Tell a domain owner what receivers running Vouch decide about each of its outbound servers, and why.") { domain, ips, helos, mailFroms, config, zone, dns, offline, format, failOn };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var name = result.GetValue(domain)!.Trim().TrimEnd('.');
            if (!Vouch.Dns.DnsName.TryParse(name, out name, out var problem) || !Vouch.Dns.DnsName.IsValidMultiLabel(name))
            {
                throw new UsageException($"DOMAIN: '{result.GetValue(domain)}' is not a domain of two labels or more{(problem.Length > 0 ? $" ({problem})" : "")}");
            }

            // A person types the domain they own: a host name (RFC 1123 §2.1: letters, digits, hyphens, underscores for _spf-style names).
            if (name.Split('.').FirstOrDefault(label => label.Length == 0 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) is { } bad)
            {
                throw new UsageException($"DOMAIN: '{result.GetValue(domain)}' is not a host name: label '{bad}' may hold only letters, digits and hyphens, not at its ends");
            }

            var addresses = new List<System.Net.IPAddress>();
            foreach (var text in result.GetValue(ips) ?? [])
            {
                addresses.Add(System.Net.IPAddress.TryParse(text, out var address) ? address : throw new UsageException($"--ip: '{text}' is not an IPv4 or IPv6 address"));
            }

            var level = result.GetValue(failOn) switch
            {
                "error" => Audit.AuditExit.FailOn.Error,
                "warn" => Audit.AuditExit.FailOn.Warn,
                "never" => Audit.AuditExit.FailOn.Never,
                var other => throw new UsageException($"--fail-on: '{other}' is not error, warn or never"),
            };
            var shape = result.GetValue(format) switch
            {
                "text" or "json" or "zone" => result.GetValue(format)!,
                var other => throw new UsageException($"--format: '{other}' is not text, json or zone"),
            };
            var zones = result.GetValue(zone) ?? [];
            var servers = result.GetValue(dns) ?? [];
            if (result.GetValue(offline) && servers.Length > 0)
            {
                throw new UsageException("--offline asks no network: do not give --dns with it");
            }

            if (result.GetValue(offline) && zones.Length == 0)
            {
                throw new UsageException("--offline needs --zone: the zone files are then all the DNS there is");
            }

            var sources = new ServiceSources(result.GetValue(config), zones, servers) { ZonesShadowNetwork = !result.GetValue(offline) };
            var (checker, setup) = await CheckerFactory.CreateAsync(sources, collectTrace: false, error, null, cancellationToken);
            await using var ownedSetup = setup;
            var request = new Vouch.Audit.AuditRequest(name, addresses, result.GetValue(helos) ?? [], result.GetValue(mailFroms) ?? []);
            var report = await new Vouch.Audit.DomainAuditor(checker).AuditAsync(request, cancellationToken);
            Vouch.Audit.AuditReport? live = null;
            if (zones.Length > 0 && !result.GetValue(offline))
            {
                // What-if: the same servers on the live DNS, for the before/after comparison.
                var (liveChecker, liveSetup) = await CheckerFactory.CreateAsync(new ServiceSources(result.GetValue(config), [], servers), collectTrace: false, error, null, cancellationToken);
                await using var ownedLiveSetup = liveSetup;
                live = await new Vouch.Audit.DomainAuditor(liveChecker).AuditAsync(request with { Addresses = [.. report.Servers.Select(s => s.Address)] }, cancellationToken);
            }

            var exit = Audit.AuditExit.Of(report, level);
            switch (shape)
            {
                case "json":
                    await output.WriteLineAsync(Audit.AuditJson.Format(report, exit, live));
                    break;
                case "zone":
                    Audit.AuditZone.Write(output, report);
                    break;
                default:
                    HumanReport.WriteVisibly(output, text => Audit.AuditText.Write(text, report, live));
                    break;
            }

            return exit;
        }));
        return command;
    }

    private static Command BuildReplay(TextReader input, TextWriter output, TextWriter error)
    {
        var log = new Option<string[]>("--postfix-log")
        {
            Description = "A Postfix log (/var/log/mail.log, maillog_file; gzip read as is), or '-' for stdin; repeat for several, oldest first.",
            HelpName = "FILE|-",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var target = new Option<string>("--output") { Description = "Write the decision lines to FILE instead of stdout.", HelpName = "FILE" };
        var zone = ZoneOption();
        var dns = DnsOption();
        var config = ConfigOption();
        var command = new Command("replay", "Check the messages of a Postfix log now, through the DNS, and write decision lines for 'vouch rollout' (before installing Vouch).") { log, target, config, zone, dns };
        command.SetAction((result, cancellationToken) => RunGuardedAsync(error, async () =>
        {
            var sources = result.GetValue(log) ?? [];
            if (sources.Count(s => s == "-") > 1)
            {
                throw new UsageException("--postfix-log: '-' (stdin) can be read once only");
            }

            LogLines.CheckReadable(sources);
            var (checker, setup) = await CheckerFactory.CreateAsync(new ServiceSources(result.GetValue(config), result.GetValue(zone) ?? [], result.GetValue(dns) ?? []), collectTrace: false, error, null, cancellationToken);
            await using var ownedSetup = setup;
            if (result.GetValue(target) is { } path)
            {
                StreamWriter file;
                try
                {
                    file = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    throw new UsageException($"--output: cannot write {path}: {e.Message}");
                }

                await using (file)
                {
                    await new Replay.ReplayRun(checker, input).RunAsync(sources, file, error, cancellationToken);
                }
            }
            else
            {
                await new Replay.ReplayRun(checker, input).RunAsync(sources, output, error, cancellationToken);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>--check-config's line about reputation: the store, its listed rows, and whether it answers (reputation is unknown when not).</summary>
    private static async Task DescribeReputationAsync(TextWriter output, ReputationSetup? reputation, Vouch.Policy.PolicyMode mode)
    {
        if (reputation is null)
        {
            return;
        }

        var map = reputation.Map;
        await output.WriteLineAsync(map.IsKnown
            ? $"vouch: reputation {reputation.Store.Description}: {map.Rows.Count} listed rows, mode {Vouch.Policy.Decision.Token(mode)}"
            : $"vouch: warning: reputation {reputation.Store.Description} does not answer ({map.Problem}): reputation is unknown until it does (never black)");
    }

    internal static async Task<int> RunGuardedAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UsageException exception)
        {
            await error.WriteLineAsync($"vouch: {exception.Message}");
            return ExitCodes.Usage;
        }
        catch (SetupException exception)
        {
            await error.WriteLineAsync($"vouch: {exception.Message}");
            return ExitCodes.Usage;
        }
    }
}
