using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>
/// Incremental story clustering over a sliding time window. A near-copy of an item already seen (a syndicated copy, a
/// revised headline: "5 killed" → "6 killed") is folded into it, found by MinHash over the words of the normalised
/// title and lead with numbers masked. Otherwise the item joins the story of its most similar item within the window by
/// TF-IDF cosine, where shared venues help and different venues (the Geneva round, the Abu Dhabi round) keep stories
/// apart. Memory stays bounded: documents are forgotten once they are older than the retention (30 days by default)
/// behind the newest one, or when more than <see cref="MaxDocuments"/> are held. The retention is longer than the
/// window because a first poll brings each feed's backlog in turn, so documents do not arrive in time order. Not
/// thread-safe: the pipeline serializes calls.
/// </summary>
internal sealed class StoryClusterer : IStoryClusterer
{
    private const int MinHashCount = 128;
    private const int LeadTokens = 40;
    public const int MaxDocuments = 5000;
    private readonly TimeSpan window;
    private readonly TimeSpan retention;
    private readonly double joinSimilarity;
    private readonly double duplicateSimilarity;
    private readonly TermMatcher venues;
    private readonly List<Entry> entries = [];
    private readonly Dictionary<long, Story> stories = [];
    private readonly Dictionary<string, int> documentFrequency = new(StringComparer.Ordinal);
    private Entry? pending;
    private DateTimeOffset newest = DateTimeOffset.MinValue;

    /// <param name="window">How far apart in time two items of one story may be.</param>
    /// <param name="venues">Places of rounds of talks (the topic profile's venues): items naming different ones stay apart.</param>
    /// <param name="joinSimilarity">The TF-IDF cosine from which an item joins a story.</param>
    /// <param name="duplicateSimilarity">The estimated word Jaccard from which an item is a near-copy.</param>
    /// <param name="retention">How long behind the newest document others are kept (default 30 days, at least the window).</param>
    public StoryClusterer(TimeSpan window, IReadOnlyList<WeightedTerm> venues, double joinSimilarity = 0.25, double duplicateSimilarity = 0.75, TimeSpan? retention = null)
    {
        ArgumentNullException.ThrowIfNull(venues);
        this.window = window;
        var kept = retention ?? TimeSpan.FromDays(30);
        this.retention = kept > window ? kept : window;
        this.joinSimilarity = joinSimilarity;
        this.duplicateSimilarity = duplicateSimilarity;
        this.venues = TopicFeatures.Matcher(venues);
    }

    /// <summary>How many documents are remembered.</summary>
    public int Count => entries.Count;

    public ClusterMatch? FindStory(ClusterDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var entry = Prepare(document);
        foreach (var other in entries)
        {
            if ((document.Published - other.Document.Published).Duration() <= window
                && MinHashSimilarity(entry.MinHash, other.MinHash) >= duplicateSimilarity)
            {
                return new ClusterMatch(other.StoryId, 1, other.Document.ItemId);
            }
        }

        var totalDocuments = entries.Count + 1;
        ClusterMatch? best = null;
        foreach (var (storyId, story) in stories)
        {
            // A story belongs to the venue most of its items name: an item on the Moscow round doesn't join the Miami
            // round's story through a headline that names both ("meet in Miami before Moscow talks").
            var venues = story.MainVenues();
            if ((document.Published - story.Latest).Duration() > window
                || (entry.Venues.Count > 0 && venues.Count > 0 && !entry.Venues.Overlaps(venues)))
            {
                continue;
            }

            // The story's centroid keeps a chain of loosely related items from pulling in a new event; a very close
            // match to one member still counts.
            var similarity = Math.Max(Cosine(entry.Terms, story.Centroid, totalDocuments), 0.85 * story.Members.Max(m => Cosine(entry.Terms, m.Terms, totalDocuments)));
            if (entry.Venues.Overlaps(venues))
            {
                similarity += 0.1;
            }

            if (similarity >= joinSimilarity && (best is null || similarity > best.Similarity))
            {
                best = new ClusterMatch(storyId, Math.Round(similarity, 4), null);
            }
        }

        return best is null ? null : best with { Similarity = Math.Min(1, best.Similarity) };
    }

    public void Add(ClusterDocument document, long storyId)
    {
        ArgumentNullException.ThrowIfNull(document);
        var entry = Prepare(document) with { StoryId = storyId };
        pending = null;
        entries.Add(entry);
        foreach (var term in entry.Terms.Keys)
        {
            documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }

        if (!stories.TryGetValue(storyId, out var story))
        {
            story = new Story();
            stories[storyId] = story;
        }

        story.Include(entry, +1);
        if (document.Published > newest)
        {
            newest = document.Published;
        }

        Evict();
    }

    private void Evict()
    {
        var cutoff = newest - retention;
        if (entries.Count > MaxDocuments)
        {
            var oldestKept = entries.Select(e => e.Document.Published).Order().ElementAt(entries.Count - MaxDocuments);
            cutoff = oldestKept > cutoff ? oldestKept : cutoff;
        }

        if (entries.Count > 0 && entries.All(e => e.Document.Published >= cutoff))
        {
            return;
        }

        entries.RemoveAll(e =>
        {
            if (e.Document.Published >= cutoff)
            {
                return false;
            }

            foreach (var term in e.Terms.Keys)
            {
                if (--documentFrequency[term] == 0)
                {
                    documentFrequency.Remove(term);
                }
            }

            var story = stories[e.StoryId];
            story.Include(e, -1);
            if (story.Members.Count == 0)
            {
                stories.Remove(e.StoryId);
            }

            return true;
        });
    }

    /// <summary>The document's terms, MinHash and venues; FindStory then Add on one document computes them once.</summary>
    private Entry Prepare(ClusterDocument document)
    {
        if (pending is { } cached && ReferenceEquals(cached.Document, document))
        {
            return cached;
        }

        var tokens = Tokenizer.Tokenize(document.Title);
        if (document.Summary.Length > 0)
        {
            tokens.AddRange(Tokenizer.Tokenize(document.Summary, LeadTokens));
        }

        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        var minHash = new uint[MinHashCount];
        Array.Fill(minHash, uint.MaxValue);
        foreach (var token in tokens)
        {
            if (Tokenizer.IsStopWord(token))
            {
                continue;
            }

            var masked = char.IsDigit(token[0]) ? "#" : token;
            terms[masked] = terms.GetValueOrDefault(masked) + 1;
            var h = Fnv(masked);
            for (var k = 0; k < MinHashCount; k++)
            {
                var value = (uint)(Mix(h + ((ulong)k * 0x9E3779B97F4A7C15UL)) >> 32);
                if (value < minHash[k])
                {
                    minHash[k] = value;
                }
            }
        }

        var venueHits = venues.Match(tokens).ToHashSet();
        pending = new Entry(document, 0, terms, minHash, venueHits);
        return pending;
    }

    private double Cosine<TValue>(Dictionary<string, int> a, Dictionary<string, TValue> b, int totalDocuments)
        where TValue : System.Numerics.INumber<TValue>
    {
        double dot = 0, normA = 0, normB = 0;
        foreach (var (term, count) in a)
        {
            var weight = count * Idf(term, totalDocuments);
            normA += weight * weight;
            if (b.TryGetValue(term, out var otherCount))
            {
                dot += weight * double.CreateChecked(otherCount) * Idf(term, totalDocuments);
            }
        }

        foreach (var (term, count) in b)
        {
            var weight = double.CreateChecked(count) * Idf(term, totalDocuments);
            normB += weight * weight;
        }

        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }

    private double Idf(string term, int totalDocuments) =>
        Math.Log((totalDocuments + 1.0) / (documentFrequency.GetValueOrDefault(term) + 1.0)) + 1;

    private static double MinHashSimilarity(uint[] a, uint[] b)
    {
        var same = 0;
        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] == b[k] && a[k] != uint.MaxValue)
            {
                same++;
            }
        }

        return (double)same / a.Length;
    }

    /// <summary>SplitMix64's finaliser: one well-mixed hash per MinHash slot.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static ulong Fnv(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    /// <summary>A story's members within the window, the sum of their term counts, and the venues they name.</summary>
    private sealed class Story
    {
        public List<Entry> Members { get; } = [];
        public Dictionary<string, double> Centroid { get; } = new(StringComparer.Ordinal);
        public Dictionary<int, int> Venues { get; } = [];
        public DateTimeOffset Latest { get; private set; } = DateTimeOffset.MinValue;

        public List<int> MainVenues()
        {
            if (Venues.Count == 0)
            {
                return [];
            }

            var most = Venues.Values.Max();
            return [.. Venues.Where(v => v.Value == most).Select(v => v.Key)];
        }

        public void Include(Entry entry, int sign)
        {
            if (sign > 0)
            {
                Members.Add(entry);
                Latest = entry.Document.Published > Latest ? entry.Document.Published : Latest;
            }
            else
            {
                Members.Remove(entry);
            }

            var length = Math.Max(1, entry.Terms.Values.Sum());
            foreach (var (term, count) in entry.Terms)
            {
                var value = Centroid.GetValueOrDefault(term) + (sign * (double)count / length);
                if (value <= 1e-9)
                {
                    Centroid.Remove(term);
                }
                else
                {
                    Centroid[term] = value;
                }
            }

            foreach (var venue in entry.Venues)
            {
                var count = Venues.GetValueOrDefault(venue) + sign;
                if (count == 0)
                {
                    Venues.Remove(venue);
                }
                else
                {
                    Venues[venue] = count;
                }
            }
        }
    }

    private sealed record Entry(ClusterDocument Document, long StoryId, Dictionary<string, int> Terms, uint[] MinHash, HashSet<int> Venues);
}
