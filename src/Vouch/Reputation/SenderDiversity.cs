using BitFaster.Caching.Lru;

namespace Vouch.Reputation;

/// <summary>
/// Tells big shared providers that are not on the <c>providers</c> list by what they do: an owner seen vouching
/// for mail from at least <see cref="ReputationOptions.ProviderSenders"/> distinct MAIL FROM local parts within
/// 30 days is a provider (a freemail service, an ESP), whose owner rows stop at suspect. Counted on this node,
/// in bounded memory (the most recently seen owners), from the requests it judges. Thread-safe.
/// </summary>
public sealed class SenderDiversity
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private readonly ConcurrentLru<string, OwnerSenders> owners = new(10_000);
    private readonly int threshold;

    /// <summary>Creates the counter; a threshold of 0 turns it off.</summary>
    public SenderDiversity(int threshold) => this.threshold = threshold;

    /// <summary>Notes that <paramref name="owner"/> vouched for mail from <paramref name="localPart"/>, and says whether the owner now counts as a provider.</summary>
    public bool Observe(string owner, string localPart, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(localPart);
        if (threshold <= 0)
        {
            return false;
        }

        var senders = owners.GetOrAdd(owner, _ => new OwnerSenders());
        lock (senders)
        {
            if (now - senders.Since > Window && !senders.IsProvider)
            {
                senders.Seen.Clear();
                senders.Since = now;
            }

            if (!senders.IsProvider && localPart.Length > 0)
            {
                senders.Seen.Add(string.GetHashCode(localPart, StringComparison.OrdinalIgnoreCase));
                senders.IsProvider = senders.Seen.Count >= threshold;
                if (senders.IsProvider)
                {
                    senders.Seen.Clear();
                }
            }

            return senders.IsProvider;
        }
    }

    private sealed class OwnerSenders
    {
        public HashSet<int> Seen { get; } = [];

        public DateTimeOffset Since { get; set; } = DateTimeOffset.MinValue;

        public bool IsProvider { get; set; }
    }
}
