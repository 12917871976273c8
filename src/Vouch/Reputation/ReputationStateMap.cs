using System.Collections.Frozen;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Reputation;

/// <summary>
/// The listed rows (suspect, blocked) held in memory, so that the policy's hot path reads reputation without
/// waiting on a store; a refresher replaces the whole map from <see cref="IReputationStore.ListedAsync"/>. When no
/// refresh has succeeded within <see cref="StaleAfter"/>, reputation is unknown (never black). Thread-safe.
/// </summary>
public sealed class ReputationStateMap
{
    private readonly ReputationOptions options;
    private readonly PublicSuffixList? suffixes;
    private readonly TimeProvider timeProvider;
    private readonly SenderDiversity diversity;
    private readonly BitFaster.Caching.Lru.ConcurrentLru<string, DateTimeOffset> attempts = new(100_000);
    private readonly Lock writing = new();
    private Snapshot current = new(FrozenDictionary<string, ReputationRow>.Empty, null, "not read yet");

    /// <summary>Creates an empty map, unknown until the first <see cref="Replace"/>.</summary>
    public ReputationStateMap(ReputationOptions options, PublicSuffixList? suffixes, TimeProvider? timeProvider = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.suffixes = suffixes;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        diversity = new SenderDiversity(options.ProviderSenders);
        StaleAfter = (options.RefreshInterval * 3) + TimeSpan.FromSeconds(5);
    }

    /// <summary>The options the rows are judged and charged by.</summary>
    public ReputationOptions Options => options;

    /// <summary>How long a map stays trusted without a successful refresh.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Whether a refresh succeeded within <see cref="StaleAfter"/>.</summary>
    public bool IsKnown => Volatile.Read(ref current) is { RefreshedAt: { } at } && timeProvider.GetUtcNow() - at < StaleAfter;

    /// <summary>Whether no row is listed (then no reputation row can hold, and nothing need be gathered for one).</summary>
    public bool IsEmpty => Volatile.Read(ref current).Rows.Count == 0;

    /// <summary>The listed rows now in the map.</summary>
    public IReadOnlyCollection<ReputationRow> Rows => Volatile.Read(ref current).Rows.Values;

    /// <summary>Why the last refresh failed, or "" after a success.</summary>
    public string Problem => Volatile.Read(ref current).Problem;

    /// <summary>Replaces the map with <paramref name="rows"/> read at <paramref name="at"/>.</summary>
    public void Replace(IEnumerable<ReputationRow> rows, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var byId = new Dictionary<string, ReputationRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.State != ReputationState.Neutral)
            {
                byId[row.Key.Id] = row;
            }
        }

        var rowsById = byId.ToFrozenDictionary(StringComparer.Ordinal);
        lock (writing)
        {
            Volatile.Write(ref current, new Snapshot(rowsById, at, ""));
        }
    }

    /// <summary>
    /// Replaces the rows of one <paramref name="subject"/> with <paramref name="rows"/> (its rows as the store has them
    /// now; neutral ones leave the map), the others kept: what a state change event reads. The time of the last full
    /// refresh stays, so a map only this keeps current still turns unknown when the store stops answering.
    /// </summary>
    public void ReplaceSubject(string subject, IEnumerable<ReputationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(rows);
        lock (writing)
        {
            var snapshot = Volatile.Read(ref current);
            var byId = new Dictionary<string, ReputationRow>(StringComparer.Ordinal);
            foreach (var (id, row) in snapshot.Rows)
            {
                if (row.Key.Subject != subject)
                {
                    byId[id] = row;
                }
            }

            foreach (var row in rows)
            {
                if (row.State != ReputationState.Neutral && row.Key.Subject == subject)
                {
                    byId[row.Key.Id] = row;
                }
            }

            Volatile.Write(ref current, snapshot with { Rows = byId.ToFrozenDictionary(StringComparer.Ordinal) });
        }
    }

    /// <summary>Records a failed refresh: the rows stay, and turn unknown once <see cref="StaleAfter"/> passes.</summary>
    public void MarkFailed(string problem)
    {
        lock (writing)
        {
            var snapshot = Volatile.Read(ref current);
            Volatile.Write(ref current, snapshot with { Problem = problem });
        }
    }

    /// <summary>The listed row of <paramref name="key"/>, or null.</summary>
    public ReputationRow? Find(ReputationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Volatile.Read(ref current).Rows.TryGetValue(key.Id, out var row) ? row : null;
    }

    /// <summary>
    /// What reputation says of a request: the vouching read from its results, the rows a report would charge,
    /// and the worst of their states.
    /// </summary>
    public ReputationFinding Find(CheckRequest request, SpfResult mailFromSpf, SpfResult heloSpf, RegistrationResult registration, RmxResult rmx)
    {
        ArgumentNullException.ThrowIfNull(request);
        var vouching = VouchingReader.Read(request, mailFromSpf, heloSpf, registration, rmx, suffixes);
        var provider = vouching is not null && (options.IsProvider(vouching.Owner)
            || (!request.Sender.IsNull && diversity.Observe(vouching.Owner, request.Sender.LocalPart, timeProvider.GetUtcNow())));
        var senderHash = provider && !request.Sender.IsNull ? SenderHash(vouching!.Owner, request.Sender.LocalPart) : "";
        var charges = vouching is null
            ? ReputationCharges.ForClient(request.Client)
            : ReputationCharges.ForVouch(vouching.Owner, vouching.Via, vouching.Strength, senderHash, options, provider);
        ReputationRow? worst = null;
        foreach (var charge in charges)
        {
            if (Find(charge.Key) is { } row && (worst is null || row.State > worst.State))
            {
                worst = row;
            }
        }

        return new ReputationFinding(true, IsKnown, vouching, charges, worst, senderHash, IsEmpty, options.HalfLife) { Provider = provider };
    }

    /// <summary>
    /// Whether this is the first message of <paramref name="owner"/> from <paramref name="client"/> in a day (on this
    /// node): what <c>suspect_action = "defer-once"</c> defers. Remembers it, so the retry is not deferred again.
    /// </summary>
    public bool IsFirstAttempt(string owner, System.Net.IPAddress client, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(client);
        var key = owner + "|" + client;
        if (attempts.TryGet(key, out var first) && now - first < TimeSpan.FromDays(1))
        {
            return false;
        }

        attempts.AddOrUpdate(key, now);
        return true;
    }

    /// <summary>A provider sender's sub-row id: 12 hex digits of SHA-256 over the owner and the lower-cased local part.</summary>
    public static string SenderHash(string owner, string localPart)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(localPart);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(owner + "\n" + localPart.ToLowerInvariant()));
        return Convert.ToHexStringLower(bytes)[..12];
    }

    private sealed record Snapshot(FrozenDictionary<string, ReputationRow> Rows, DateTimeOffset? RefreshedAt, string Problem);
}
