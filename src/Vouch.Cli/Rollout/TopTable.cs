using Vouch.DecisionLog;

namespace Vouch.Cli.Rollout;

/// <summary>
/// The keys seen most often, in bounded memory: Space-Saving (Metwally, Agrawal, El Abbadi 2005). At most
/// <c>capacity</c> keys are kept; a new key replaces the least counted one and inherits its count as an error
/// bound, so every key seen more than N/capacity times is kept, and a count is exact while its error is 0.
/// </summary>
internal sealed class TopTable(int capacity)
{
    private readonly Dictionary<string, TopEntry> entries = new(StringComparer.Ordinal);

    /// <summary>Whether any key was ever evicted: counts may then be over-estimates by their errors.</summary>
    public bool Evicted { get; private set; }

    /// <summary>Counts one decision for <paramref name="key"/>.</summary>
    public void Add(string key, DecisionRecord record, string json)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            if (entries.Count < capacity)
            {
                entry = new TopEntry(key);
            }
            else
            {
                // Linear in capacity, but only on an eviction; a stream where most keys are new is one a
                // top table cannot summarise anyway.
                entry = entries.Values.MinBy(e => e.Count)!;
                entries.Remove(entry.Key);
                entry.Replace(key);
                Evicted = true;
            }

            entries[key] = entry;
        }

        entry.Add(record, json);
    }

    /// <summary>The <paramref name="count"/> keys counted most, most first (ties by key).</summary>
    public IReadOnlyList<TopEntry> Top(int count) =>
        [.. entries.Values.OrderByDescending(e => e.Count).ThenBy(e => e.Key, StringComparer.Ordinal).Take(count)];
}
