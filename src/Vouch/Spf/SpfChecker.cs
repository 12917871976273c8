using System.Collections.Concurrent;
using System.Net;
using Vouch.Dns;
using Vouch.Smtp;

namespace Vouch.Spf;

/// <summary>
/// The SPF engine: check_host() of RFC 7208 over an <see cref="IDnsResolver"/>. Thread-safe; one instance
/// serves a whole process and keeps parsed records for reuse.
/// </summary>
public sealed class SpfChecker
{
    private readonly ConcurrentDictionary<string, ParsedRecord> parsedRecords = new(StringComparer.Ordinal);

    /// <summary>Creates the engine.</summary>
    /// <param name="resolver">Where DNS questions go.</param>
    /// <param name="options">Limits and defaults; null means <see cref="SpfOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock for %{t}; null means the system clock.</param>
    public SpfChecker(IDnsResolver resolver, SpfOptions? options = null, TimeProvider? timeProvider = null)
    {
        Resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        Options = options ?? SpfOptions.Default;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The resolver asked.</summary>
    public IDnsResolver Resolver { get; }

    /// <summary>The settings in force.</summary>
    public SpfOptions Options { get; }

    /// <summary>The clock for %{t}.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Checks the MAIL FROM identity (RFC 7208 §2.4). An empty <paramref name="sender"/> (a bounce) checks
    /// "postmaster@" the HELO name instead.
    /// </summary>
    /// <param name="client">The SMTP client's address; an IPv4-mapped IPv6 address is treated as IPv4.</param>
    /// <param name="sender">The MAIL FROM address, without angle brackets; may be empty.</param>
    /// <param name="helo">The HELO/EHLO name the client gave.</param>
    /// <param name="cancellationToken">Cancels the check; a cancelled check throws <see cref="OperationCanceledException"/>.</param>
    public Task<SpfResult> CheckMailFromAsync(IPAddress client, string sender, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(helo);
        var path = ReversePath.Parse(sender);
        return path.IsNull
            ? CheckAsync(SpfIdentity.MailFrom, client, "", helo, helo, cancellationToken)
            : CheckAsync(SpfIdentity.MailFrom, client, path.LocalPart, path.Domain, helo, cancellationToken);
    }

    /// <summary>Checks the HELO identity (RFC 7208 §2.3), as "postmaster@" the HELO name.</summary>
    /// <param name="client">The SMTP client's address.</param>
    /// <param name="helo">The HELO/EHLO name.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public Task<SpfResult> CheckHeloAsync(IPAddress client, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(helo);
        return CheckAsync(SpfIdentity.Helo, client, "", helo, helo, cancellationToken);
    }

    private async Task<SpfResult> CheckAsync(SpfIdentity identity, IPAddress client, string localPart, string domain, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        cancellationToken.ThrowIfCancellationRequested();
        using var deadline = new CancellationTokenSource(Options.Deadline, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var evaluation = new SpfEvaluation(this, identity, client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, localPart, domain, helo, linked.Token);
        return await evaluation.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks one identity, <paramref name="localPart"/>@<paramref name="domain"/> (an empty local part reads
    /// as postmaster, RFC 7208 §4.3), under the caller's deadline: <paramref name="cancellationToken"/>
    /// already carries one (the sender checker's), so no timer of its own is set. When it fires, the check
    /// throws <see cref="OperationCanceledException"/>.
    /// </summary>
    internal Task<SpfResult> CheckWithinCallersDeadlineAsync(SpfIdentity identity, IPAddress client, string localPart, string domain, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(localPart);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(helo);
        cancellationToken.ThrowIfCancellationRequested();
        return new SpfEvaluation(this, identity, client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, localPart, domain, helo, cancellationToken)
            .RunAsync(cancellationToken);
    }

    /// <summary>Parses a record, reusing an earlier parse of the same text.</summary>
    internal ParsedRecord Parse(string text)
    {
        if (parsedRecords.TryGetValue(text, out var parsed))
        {
            return parsed;
        }

        parsed = SpfRecord.TryParse(text, out var record, out var error) ? new ParsedRecord(record, null) : new ParsedRecord(null, error);
        if (parsedRecords.Count >= Options.ParsedRecordCacheSize)
        {
            parsedRecords.Clear();
        }

        parsedRecords.TryAdd(text, parsed);
        return parsed;
    }
}
