using Vouch.DecisionLog;

namespace Vouch.Cli.Rollout;

/// <summary>
/// The keys seen most often, in bounded memory: Space-Saving (Metwally, Agrawal, El Abbadi 2005). At most
/// <c>capacity</c> keys are kept; a new key replaces the least counted one and inherits its count as an error
/// bound, so every key seen more than N/capacity times is kept, and a count is exact while its error is 0.
/// The least counted key is the root of a min-heap on the counts: a count, and an eviction, cost O(log capacity)
/// (a scan for the minimum made a log of many one-off networks 300 times slower).
/// </summary>
internal sealed class TopTable(int capacity)
{
    private readonly Dictionary<string, TopEntry> entries = new(StringComparer.Ordinal);
    private readonly List<TopEntry> heap = [];

    /// <summary>Whether any key was ever evicted: counts may then be over-estimates by their errors.</summary>
    public bool Evicted { get; private set; }

    /// <summary>Counts one decision for <paramref name="key"/>; <paramref name="line"/> is its log line (from its first '{', the JSON).</summary>
    public void Add(string key, DecisionRecord record, ReadOnlySpan<byte> line)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            if (entries.Count < capacity)
            {
                entry = new TopEntry(key) { HeapIndex = heap.Count };
                heap.Add(entry);
            }
            else
            {
                entry = heap[0];
                entries.Remove(entry.Key);
                entry.Replace(key);
                Evicted = true;
            }

            entries[key] = entry;
        }

        entry.Add(record, line);
        SiftDown(entry.HeapIndex);
    }

    /// <summary>The <paramref name="count"/> keys counted most, most first (ties by key).</summary>
    public IReadOnlyList<TopEntry> Top(int count) =>
        [.. entries.Values.OrderByDescending(e => e.Count).ThenBy(e => e.Key, StringComparer.Ordinal).Take(count)];

    // A count only grows, so an entry only ever moves down, towards the larger counts.
    private void SiftDown(int index)
    {
        var entry = heap[index];
        while (true)
        {
            var child = 2 * index + 1;
            if (child >= heap.Count)
            {
                break;
            }

            if (child + 1 < heap.Count && heap[child + 1].Count < heap[child].Count)
            {
                child++;
            }

            if (heap[child].Count >= entry.Count)
            {
                break;
            }

            heap[index] = heap[child];
            heap[index].HeapIndex = index;
            index = child;
        }

        heap[index] = entry;
        entry.HeapIndex = index;
    }
}
