using System.Text;

namespace Digest.Core.Stories;

/// <summary>An article already placed in a story: the story, and the item that first carried it.</summary>
internal sealed record KnownArticle(long StoryId, long ItemId);

/// <summary>
/// One story per article, whichever feeds carry it: an item with the canonical URL of an item already in a story — or,
/// with another URL, the same headline (its fingerprint) published within a day of it — is that article again, and
/// joins its story as another source. Feeds that mirror each other (another URL for the same feed, an OPML import, a
/// page that advertises the feed) then never make the same article two stories. Bounded: the oldest articles are
/// forgotten past <see cref="MaxArticles"/>. Not thread-safe: the process stage serializes calls.
/// </summary>
internal sealed class ArticleIndex
{
    public const int MaxArticles = 50_000;

    /// <summary>Headlines shorter than this many words ("Live updates") are too common to identify an article.</summary>
    private const int FingerprintMinWords = 4;

    private static readonly TimeSpan FingerprintWindow = TimeSpan.FromDays(1);

    private readonly Dictionary<string, KnownArticle> byUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (KnownArticle Article, DateTimeOffset Published)> byFingerprint = new(StringComparer.Ordinal);
    private readonly Queue<(string? Url, string? Fingerprint)> order = new();

    public int Count => order.Count;

    /// <summary>The story the article is in already, or null when it is new.</summary>
    public KnownArticle? Find(string url, string title, DateTimeOffset published)
    {
        if (url.Length > 0 && byUrl.TryGetValue(url, out var same))
        {
            return same;
        }

        return Fingerprint(title) is { } key && byFingerprint.TryGetValue(key, out var alike) && (alike.Published - published).Duration() <= FingerprintWindow
            ? alike.Article
            : null;
    }

    /// <summary>
    /// Remembers an article placed in a story (the first item that carried it wins). The same item again in another story
    /// moved there with its story (a merge): the article now leads to that story.
    /// </summary>
    public void Add(string url, string title, DateTimeOffset published, KnownArticle article)
    {
        var fingerprint = Fingerprint(title);
        if (url.Length > 0 && byUrl.TryGetValue(url, out var known) && known.ItemId == article.ItemId)
        {
            byUrl[url] = article;
        }

        if (fingerprint is not null && byFingerprint.TryGetValue(fingerprint, out var alike) && alike.Article.ItemId == article.ItemId)
        {
            byFingerprint[fingerprint] = (article, alike.Published);
        }

        var addedUrl = url.Length > 0 && byUrl.TryAdd(url, article) ? url : null;
        var addedFingerprint = fingerprint is not null && byFingerprint.TryAdd(fingerprint, (article, published)) ? fingerprint : null;
        if (addedUrl is null && addedFingerprint is null)
        {
            return;
        }

        order.Enqueue((addedUrl, addedFingerprint));
        while (order.Count > MaxArticles && order.TryDequeue(out var old))
        {
            if (old.Url is not null)
            {
                byUrl.Remove(old.Url);
            }

            if (old.Fingerprint is not null)
            {
                byFingerprint.Remove(old.Fingerprint);
            }
        }
    }

    /// <summary>The headline's words, lower-case, letters and digits only; null when it is too short to tell articles apart.</summary>
    internal static string? Fingerprint(string title)
    {
        var builder = new StringBuilder(title.Length);
        var words = 0;
        var inWord = false;
        foreach (var c in title)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                if (!inWord)
                {
                    words++;
                }

                builder.Append(char.ToLowerInvariant(c));
                inWord = true;
            }
            else if (c is not ('\'' or '’'))
            {
                inWord = false;
            }
        }

        return words >= FingerprintMinWords ? builder.ToString() : null;
    }
}
