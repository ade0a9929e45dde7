namespace Digest.Core.Stories;

/// <summary>A first clusterer: items whose titles share most of their words within the window join one story.</summary>
public sealed class TitleOverlapClusterer(TimeSpan window) : IStoryClusterer
{
    private readonly List<(ClusterDocument Document, long StoryId, HashSet<string> Words)> seen = [];

    public ClusterMatch? FindStory(ClusterDocument document)
    {
        var words = Words(document.Title);
        ClusterMatch? best = null;
        foreach (var (other, storyId, otherWords) in seen)
        {
            if ((document.Published - other.Published).Duration() > window || words.Count == 0)
            {
                continue;
            }

            var overlap = (double)words.Intersect(otherWords).Count() / Math.Min(words.Count, otherWords.Count);
            if (overlap >= 0.6 && (best is null || overlap > best.Similarity))
            {
                best = new ClusterMatch(storyId, overlap, overlap >= 0.9 ? other.ItemId : null);
            }
        }

        return best;
    }

    public void Add(ClusterDocument document, long storyId) => seen.Add((document, storyId, Words(document.Title)));

    private static HashSet<string> Words(string title) => title
        .ToLowerInvariant()
        .Split([' ', ',', '.', ':', ';', '\'', '"', '’', '‘', '“', '”', '-', '–', '—', '(', ')', '?', '!'], StringSplitOptions.RemoveEmptyEntries)
        .Where(w => w.Length > 3)
        .ToHashSet();
}
