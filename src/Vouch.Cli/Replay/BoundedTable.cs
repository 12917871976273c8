using System.Diagnostics.CodeAnalysis;

namespace Vouch.Cli.Replay;

/// <summary>
/// A dictionary of at most <c>capacity</c> entries: adding to a full table evicts the entry added longest ago,
/// so a log full of sessions or messages that never complete cannot grow memory without bound.
/// </summary>
internal sealed class BoundedTable<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> entries = [];
    private readonly LinkedList<KeyValuePair<TKey, TValue>> order = new();

    public int Count => entries.Count;

    /// <summary>The values, oldest first.</summary>
    public IEnumerable<TValue> Values => order.Select(entry => entry.Value);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (entries.TryGetValue(key, out var node))
        {
            value = node.Value.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Adds or replaces the value of <paramref name="key"/>; returns the value evicted to make room, if any.</summary>
    public bool Add(TKey key, TValue value, [MaybeNullWhen(false)] out TValue evicted)
    {
        evicted = default;
        var wasEvicted = false;
        Remove(key, out _);
        if (entries.Count >= capacity && order.First is { } oldest)
        {
            evicted = oldest.Value.Value;
            wasEvicted = true;
            Remove(oldest.Value.Key, out _);
        }

        entries[key] = order.AddLast(new KeyValuePair<TKey, TValue>(key, value));
        return wasEvicted;
    }

    public bool Remove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (entries.Remove(key, out var node))
        {
            order.Remove(node);
            value = node.Value.Value;
            return true;
        }

        value = default;
        return false;
    }

    public void Clear()
    {
        entries.Clear();
        order.Clear();
    }
}
