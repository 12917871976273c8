using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vouch.Configuration;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Server;

namespace Vouch.Cli;

/// <summary><c>vouch report</c> (a message in, a report out) and <c>vouch reputation</c> (the administrators' view and controls).</summary>
internal static class ReputationCommands
{
    /// <summary>Exit code when the store did not answer: EX_TEMPFAIL, so a pipe (IMAPSieve) may try again.</summary>
    private const int StoreUnavailable = 75;

    // A report needs the header only; a bigger input is cut there (the header is at the top).
    private const int MaxMessageCharacters = 32 * 1024 * 1024;

    public static Command BuildReport(TextReader input, TextWriter output, TextWriter error)
    {
        var kind = new Argument<string>("KIND") { Description = "spam; ham (not spam: withdraws your own spam report of that message); or arf: stdin is an ARF report (RFC 5965) from a trusted reporter." };
        var reporter = new Option<string>("--reporter") { Description = "Who reports (the IMAP user); kept only as a keyed hash. Default: the user running the command.", HelpName = "ID" };
        var source = new Option<string>("--source") { Description = "user (default), trap, filter, filter-tag or admin; each has its own weight.", HelpName = "SOURCE" };
        var queueId = new Option<string>("--queue-id") { Description = "Report the message with this Postfix queue id instead of reading one from stdin.", HelpName = "ID" };
        var json = new Option<bool>("--json") { Description = "Print the outcome as one JSON object." };
        var config = VouchCommandLine.ConfigOption();
        var zone = VouchCommandLine.ZoneOption();
        var dns = VouchCommandLine.DnsOption();
        var command = new Command("report", "Report a delivered message (read from stdin) as spam or not spam, by the Vouch-Ticket it carries: the Dovecot IMAPSieve pipe.") { kind, reporter, source, queueId, json, config, zone, dns };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            var kindText = result.GetValue(kind)!;
            if (kindText == "arf")
            {
                return await ReportArfAsync(input, output, result.GetValue(config), result.GetValue(zone) ?? [], result.GetValue(dns) ?? [], result.GetValue(json), error, cancellationToken);
            }

            if (!VouchWords.TryParseKind(kindText, out var reportKind))
            {
                throw new UsageException($"KIND: '{kindText}' is not spam, ham or arf");
            }

            var sourceText = result.GetValue(source) ?? "user";
            if (!VouchWords.TryParseSource(sourceText, out var reportSource) || reportSource == ReportSource.Arf)
            {
                throw new UsageException($"--source: '{sourceText}' is not user, trap, filter, filter-tag or admin");
            }

            var who = result.GetValue(reporter) ?? Environment.UserName;
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            ReportOutcome outcome;
            if (result.GetValue(queueId) is { } id)
            {
                outcome = await setup.Ingest.ReportQueueIdAsync(id, who, reportKind, reportSource, cancellationToken);
            }
            else
            {
                var text = await ReadMessageAsync(input, cancellationToken);
                using var message = new MemoryStream(Encoding.UTF8.GetBytes(text));
                outcome = await setup.Ingest.ReportMessageAsync(message, who, reportKind, reportSource, cancellationToken);
            }

            return await AnswerAsync(output, setup, outcome, result.GetValue(json), cancellationToken);
        }));
        return command;
    }

    private static async Task<int> ReportArfAsync(TextReader input, TextWriter output, string? config, string[] zones, string[] servers, bool json, TextWriter error, CancellationToken cancellationToken)
    {
        await LoadOptionsAsync(config, requireEnabled: true, cancellationToken);
        var (checker, setup) = await CheckerFactory.CreateAsync(new ServiceSources(config, zones, servers), collectTrace: false, error, null, cancellationToken);
        await using var ownedSetup = setup;
        var reputation = setup.Reputation!;
        var text = await ReadMessageAsync(input, cancellationToken);
        using var message = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var (arf, problem) = await ArfReport.ReadAsync(message, cancellationToken);
        if (arf is null)
        {
            throw new UsageException("stdin: " + problem);
        }

        var outcome = await reputation.Ingest.ReportArfAsync(arf, async (ip, mailFrom, token) =>
            (await checker.CheckAsync(Vouch.Smtp.CheckRequest.Create(ip, mailFrom, ""), token)).Evidence.Reputation, cancellationToken);
        return await AnswerAsync(output, reputation, outcome, json, cancellationToken);
    }

    private static async Task<int> AnswerAsync(TextWriter output, ReputationSetup setup, ReportOutcome outcome, bool json, CancellationToken cancellationToken)
    {
        await setup.Store.FlushAsync(cancellationToken);
        await output.WriteLineAsync(json ? OutcomeJson(outcome) : "vouch: " + setup.Ingest.Describe(outcome));
        return outcome.Code switch
        {
            ReportOutcomeCode.Counted or ReportOutcomeCode.Cancelled => ExitCodes.Success,
            ReportOutcomeCode.Unavailable => StoreUnavailable,
            _ => ExitCodes.Failure,
        };
    }

    public static Command BuildReputation(TextWriter output, TextWriter error)
    {
        var command = new Command("reputation", "Owner reputation for administrators: show, events, top, pin, clear, audit, simulate.");
        command.Subcommands.Add(BuildShow(output, error));
        command.Subcommands.Add(BuildEvents(output, error));
        command.Subcommands.Add(BuildTop(output, error));
        command.Subcommands.Add(BuildPin(output, error));
        command.Subcommands.Add(BuildClear(output, error));
        command.Subcommands.Add(BuildAudit(output, error));
        command.Subcommands.Add(BuildSimulate(output, error));
        return command;
    }

    /// <summary>The store's rows of every subject a finding charges, for <c>vouch explain</c>; none when reputation is off or the store is down.</summary>
    public static async Task<IReadOnlyList<ReputationRow>> RowsOfAsync(ReputationSetup? setup, ReputationFinding finding, CancellationToken cancellationToken)
    {
        if (setup is null || !finding.Kept)
        {
            return [];
        }

        var rows = new List<ReputationRow>();
        try
        {
            foreach (var subject in finding.Charges.Select(charge => charge.Key.Subject).Distinct(StringComparer.Ordinal))
            {
                rows.AddRange(await setup.Store.RowsAsync(subject, DateTimeOffset.UtcNow, cancellationToken));
            }
        }
        catch (ReputationStoreException)
        {
            // Shown as unknown by the finding itself.
        }

        return rows;
    }

    private static Command BuildShow(TextWriter output, TextWriter error)
    {
        var subject = SubjectArgument();
        var config = VouchCommandLine.ConfigOption();
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON Lines." };
        var command = new Command("show", "Show an owner's (or an address's) rows: state, decayed numbers, thresholds, time to release.") { subject, config, json };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            var name = ReadSubject(result.GetValue(subject)!);
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            var rows = await StoreCallAsync(() => setup.Store.RowsAsync(name, DateTimeOffset.UtcNow, cancellationToken));
            if (result.GetValue(json))
            {
                foreach (var row in rows)
                {
                    await output.WriteLineAsync(RowJson(row));
                }

                return ExitCodes.Success;
            }

            if (rows.Count == 0)
            {
                await output.WriteLineAsync($"{name}: no reports, no deliveries counted: neutral");
            }

            foreach (var row in rows)
            {
                await output.WriteLineAsync(ReputationText.Row(row, setup.Options));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildEvents(TextWriter output, TextWriter error)
    {
        var subject = SubjectArgument();
        var limit = LimitOption();
        var config = VouchCommandLine.ConfigOption();
        var command = new Command("events", "List the latest reports counted against an owner (or an address), newest first.") { subject, limit, config };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            var name = ReadSubject(result.GetValue(subject)!);
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            var events = await StoreCallAsync(() => setup.Store.EventsAsync(name, ReadLimit(result.GetValue(limit)), cancellationToken));
            foreach (var item in events)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{item.At:yyyy-MM-dd HH:mm:ss}Z {item.Kind.ToToken()} {item.Source.ToToken()} reporter={item.Reporter} ticket={item.Ticket} row=\"{item.Key}\" units={item.Units:0.###} method={item.Method} ip={item.Client}{(item.Cancelled ? " cancelled" : "")}"));
            }

            if (events.Count == 0)
            {
                await output.WriteLineAsync($"{name}: no events");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildTop(TextWriter output, TextWriter error)
    {
        var limit = LimitOption();
        var config = VouchCommandLine.ConfigOption();
        var command = new Command("top", "List the rows with the most spam units.") { limit, config };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            foreach (var row in await StoreCallAsync(() => setup.Store.TopAsync(ReadLimit(result.GetValue(limit)), DateTimeOffset.UtcNow, cancellationToken)))
            {
                await output.WriteLineAsync(ReputationText.Row(row, setup.Options));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildPin(TextWriter output, TextWriter error)
    {
        var subject = SubjectArgument();
        var state = new Option<string>("--state") { Description = "blocked, suspect or neutral.", Required = true, HelpName = "STATE" };
        var via = new Option<string>("--via") { Description = "Pin the row through this organisation only (default: the owner's own row, via -).", HelpName = "DOMAIN" };
        var reason = ReasonOption();
        var config = VouchCommandLine.ConfigOption();
        var command = new Command("pin", "Pin a row's state (it then neither decays nor moves); audited.") { subject, state, via, reason, config };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            var name = ReadSubject(result.GetValue(subject)!);
            var stateText = result.GetValue(state)!;
            if (!VouchWords.TryParseState(stateText, out var pinned))
            {
                throw new UsageException($"--state: '{stateText}' is not blocked, suspect or neutral");
            }

            var viaText = result.GetValue(via) is { } v ? ReadSubject(v) : Vouching.NoVia;
            var why = ReadReason(result.GetValue(reason));
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            var key = new ReputationKey(name, viaText, "");
            await StoreCallAsync(async () =>
            {
                await setup.Store.PinAsync(key, pinned, new ReputationAdminAction("pin " + pinned.ToToken(), name, why, Environment.UserName, DateTimeOffset.UtcNow), cancellationToken);
                await setup.Store.FlushAsync(cancellationToken);
                return 0;
            });
            await output.WriteLineAsync($"vouch: {key} pinned {pinned.ToToken()}: {why}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildClear(TextWriter output, TextWriter error)
    {
        var subject = SubjectArgument();
        var reason = ReasonOption();
        var config = VouchCommandLine.ConfigOption();
        var command = new Command("clear", "Forget every row, event and pin of an owner (or an address); audited.") { subject, reason, config };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            var name = ReadSubject(result.GetValue(subject)!);
            var why = ReadReason(result.GetValue(reason));
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            await StoreCallAsync(async () =>
            {
                await setup.Store.ClearAsync(name, new ReputationAdminAction("clear", name, why, Environment.UserName, DateTimeOffset.UtcNow), cancellationToken);
                await setup.Store.FlushAsync(cancellationToken);
                return 0;
            });
            await output.WriteLineAsync($"vouch: {name} cleared: {why}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildAudit(TextWriter output, TextWriter error)
    {
        var limit = LimitOption();
        var config = VouchCommandLine.ConfigOption();
        var command = new Command("audit", "List the administrators' pins and clears, newest first.") { limit, config };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            await using var setup = await OpenAsync(result.GetValue(config), cancellationToken);
            foreach (var action in await StoreCallAsync(() => setup.Store.AuditAsync(ReadLimit(result.GetValue(limit)), cancellationToken)))
            {
                await output.WriteLineAsync($"{action.At:yyyy-MM-dd HH:mm:ss}Z {action.Action} {action.Subject} by {(action.Actor.Length > 0 ? action.Actor : "?")}: {action.Reason}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildSimulate(TextWriter output, TextWriter error)
    {
        var delivered = new Option<double>("--delivered") { Description = "D: delivered recipient copies.", Required = true, HelpName = "D" };
        var reports = new Option<double>("--reports") { Description = "S: spam units.", Required = true, HelpName = "S" };
        var reporters = new Option<int>("--reporters") { Description = "R: distinct reporters.", Required = true, HelpName = "R" };
        var ham = new Option<double>("--ham") { Description = "H: not-spam units (default 0).", HelpName = "H" };
        var filterOnly = new Option<bool>("--filter-only") { Description = "Every report came from a content filter (no human, trap or ARF report)." };
        var config = VouchCommandLine.ConfigOption();
        var command = new Command("simulate", "Show the state the thresholds give for a row's numbers, for tuning them (no store is read).") { delivered, reports, reporters, ham, filterOnly, config };
        command.SetAction((result, cancellationToken) => VouchCommandLine.RunGuardedAsync(error, async () =>
        {
            var options = await LoadOptionsAsync(result.GetValue(config), requireEnabled: false, cancellationToken);
            var d = result.GetValue(delivered);
            var s = result.GetValue(reports);
            var h = result.GetValue(ham);
            var r = result.GetValue(reporters);
            if (d < 0 || s < 0 || h < 0 || r < 0)
            {
                throw new UsageException("--delivered, --reports, --ham and --reporters take numbers of 0 or more");
            }

            var now = DateTimeOffset.UtcNow;
            var counters = new ReputationCounters(s, h, d, now);
            var state = ReputationModel.NextState(ReputationState.Neutral, counters, r, !result.GetValue(filterOnly), capAtSuspect: false, options.Thresholds);
            var row = new ReputationRow(ReputationKey.ForOwner("example.com"), counters, r, !result.GetValue(filterOnly), state, now, false, "simulated", null);
            await output.WriteLineAsync(ReputationText.Row(row, options));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Argument<string> SubjectArgument() => new("SUBJECT") { Description = "An owner domain (example.com), or a client address (192.0.2.1, 2001:db8::1)." };

    private static Option<int?> LimitOption() => new("--limit") { Description = "At most this many (default 50).", HelpName = "N" };

    private static Option<string> ReasonOption() => new("--reason") { Description = "Why; kept in the audit log.", Required = true, HelpName = "TEXT" };

    private static int ReadLimit(int? limit) => limit switch
    {
        null => 50,
        >= 1 and <= 100_000 => limit.Value,
        _ => throw new UsageException($"--limit: {limit} is out of range; expected 1–100000"),
    };

    private static string ReadReason(string? reason) =>
        reason is { Length: > 0 and <= 500 } && !reason.Any(char.IsControl) ? reason : throw new UsageException("--reason: give a reason of 1–500 characters on one line");

    private static string ReadSubject(string text) =>
        ReputationKey.TryParseSubject(text.Trim(), out var subject) ? subject : throw new UsageException($"SUBJECT: '{text}' is neither a domain name nor an IP address");

    private static async Task<string> ReadMessageAsync(TextReader input, CancellationToken cancellationToken)
    {
        // Read in chunks: a pipe run on every Junk click should not take 64 MB for a small message.
        var text = new StringBuilder();
        var chunk = new char[16 * 1024];
        int count;
        while (text.Length < MaxMessageCharacters && (count = await input.ReadAsync(chunk.AsMemory(0, Math.Min(chunk.Length, MaxMessageCharacters - text.Length)), cancellationToken)) > 0)
        {
            text.Append(chunk, 0, count);
        }

        return text.ToString();
    }

    private static async Task<T> StoreCallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ReputationStoreException exception)
        {
            throw new SetupException($"reputation store: {exception.Message}", exception);
        }
    }

    private static async Task<ReputationOptions> LoadOptionsAsync(string? path, bool requireEnabled, CancellationToken cancellationToken)
    {
        var configuration = VouchConfiguration.Default;
        if (path is not null)
        {
            try
            {
                configuration = await ConfigurationLoader.LoadAsync(path, cancellationToken);
            }
            catch (ConfigurationException exception)
            {
                throw new SetupException($"configuration {exception.Message}", exception);
            }
        }

        if (requireEnabled && !configuration.Reputation.Enabled)
        {
            throw new UsageException($"reputation is off in {path ?? "the defaults"}: set [reputation] enabled = true (docs/reputation.md)");
        }

        return configuration.Reputation;
    }

    private static async Task<ReputationSetup> OpenAsync(string? path, CancellationToken cancellationToken)
    {
        var options = await LoadOptionsAsync(path, requireEnabled: true, cancellationToken);
        PublicSuffixList? suffixes = null;
        var configuration = path is null ? VouchConfiguration.Default : await ConfigurationLoader.LoadAsync(path, cancellationToken);
        try
        {
            suffixes = await PublicSuffixList.LoadAsync(configuration.Registration.PublicSuffixListPath, cancellationToken);
        }
        catch (PublicSuffixListException)
        {
            // The commands here name owners themselves; without the list a subject is taken as given.
        }

        return await ReputationSetup.OpenAsync(options, suffixes, null, null, null, cancellationToken);
    }

    private static string OutcomeJson(ReportOutcome outcome)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("outcome", outcome.Token);
            writer.WriteNumber("units", outcome.Units);
            writer.WriteString("detail", outcome.Detail);
            writer.WriteStartArray("rows");
            foreach (var row in outcome.Rows)
            {
                WriteRow(writer, row);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string RowJson(ReputationRow row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRow(writer, row);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRow(Utf8JsonWriter writer, ReputationRow row)
    {
        writer.WriteStartObject();
        writer.WriteString("subject", row.Key.Subject);
        writer.WriteString("via", row.Key.Via);
        writer.WriteString("sender", row.Key.Sender);
        writer.WriteString("state", row.State.ToToken());
        writer.WriteString("since", row.Since);
        writer.WriteBoolean("pinned", row.Pinned);
        writer.WriteNumber("spam", Math.Round(row.Counters.Spam, 4));
        writer.WriteNumber("ham", Math.Round(row.Counters.Ham, 4));
        writer.WriteNumber("delivered", Math.Round(row.Counters.Delivered, 4));
        writer.WriteNumber("reporters", row.Reporters);
        writer.WriteNumber("lower_bound", Math.Round(row.Counters.LowerBound, 6));
        writer.WriteEndObject();
    }
}
