namespace Digest.Core.Summarization;

/// <summary>
/// A bounded, thread-safe cache of values worked out from a text, by text: it holds values for texts of at most
/// <c>capacity</c> characters in all and forgets the least recently used first. Values are computed outside the lock;
/// two callers that miss at once both compute, and the first to finish is kept.
/// </summary>
internal sealed class SourceCache<TValue>(long capacity)
    where TValue : class
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Title, string Text), LinkedListNode<Entry>> entries = [];
    private readonly LinkedList<Entry> recent = new();
    private long size;

    /// <summary>How many characters of text the cached values stand for.</summary>
    public long Size
    {
        get
        {
            lock (gate)
            {
                return size;
            }
        }
    }

    public TValue GetOrAdd(string title, string text, Func<string, string, TValue> create)
    {
        var key = (title, text);
        lock (gate)
        {
            if (entries.TryGetValue(key, out var hit))
            {
                recent.Remove(hit);
                recent.AddFirst(hit);
                return hit.Value.Value;
            }
        }

        var value = create(title, text);
        var length = (long)title.Length + text.Length;
        if (length > capacity)
        {
            return value;
        }

        lock (gate)
        {
            if (entries.TryGetValue(key, out var raced))
            {
                return raced.Value.Value;
            }

            entries[key] = recent.AddFirst(new Entry(key, value, length));
            size += length;
            while (size > capacity && recent.Last is { } oldest)
            {
                recent.RemoveLast();
                entries.Remove(oldest.Value.Key);
                size -= oldest.Value.Length;
            }
        }

        return value;
    }

    private sealed record Entry((string Title, string Text) Key, TValue Value, long Length);
}
