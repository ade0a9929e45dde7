namespace Digest.Core.Classification;

/// <summary>
/// One string for each word the tokenizers meet often. The process stage's window keeps the tokens of every item in it
/// (10,000 and more at scale) and the key-line cache the words of every sentence it holds: mostly the same few thousand
/// words, each a string of its own per item and sentence. Made through the pool, a word met recently is the same string.
/// <para>
/// The pool is a fixed table, each word in the slot its hash picks and a word that lands in a taken slot put in its
/// place: it never holds more words than it has slots, a frequent word is soon back in its slot, and it needs no lock (a
/// slot is one reference; a race costs a word its sharing, never its spelling).
/// </para>
/// </summary>
internal sealed class TokenPool
{
    /// <summary>Longer words (links, run-together text) are rare and made afresh.</summary>
    public const int MaxLength = 32;

    private readonly string?[] table;

    /// <param name="slots">A power of two.</param>
    public TokenPool(int slots)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "The slots must be a power of two.");
        }

        table = new string?[slots];
    }

    /// <summary>The tokenizers' pool: 65,536 slots, at most about 3 MB of words kept alive, several times the
    /// vocabulary of a 10,000-feed window.</summary>
    public static TokenPool Shared { get; } = new(1 << 16);

    /// <summary>The string for <paramref name="word"/>: the pooled one when the pool holds it, else a new one, pooled.</summary>
    public string Get(ReadOnlySpan<char> word)
    {
        if (word.Length > MaxLength)
        {
            return new string(word);
        }

        var slot = string.GetHashCode(word) & (table.Length - 1);
        var pooled = Volatile.Read(ref table[slot]);
        if (pooled is not null && word.SequenceEqual(pooled))
        {
            return pooled;
        }

        var made = new string(word);
        Volatile.Write(ref table[slot], made);
        return made;
    }
}
