using System.Security.Cryptography;
using System.Text;

namespace Digest.Core.Items;

/// <summary>Turns what a parser read into a clean <see cref="Item"/>: plain text, canonical link, a stable key, a sane date.</summary>
internal static class ItemNormalizer
{
    public const int MaxSummaryLength = 4000;

    /// <summary>
    /// A feed's entries as items, one per key. A guid that several entries share (some feeds give every entry the
    /// feed's own address) is not a key: those entries are keyed by their links instead, and a link that several of
    /// them share (every entry pointing at the site's front page) by their text, so each distinct entry is kept.
    /// </summary>
    public static IReadOnlyList<Item> NormalizeAll(IReadOnlyList<FeedItem> entries, Uri? feedUri, DateTimeOffset now)
    {
        var ids = new string?[entries.Count];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (GuidOf(entries[i]) is { } guid)
            {
                ids[i] = guid;
                counts[guid] = counts.GetValueOrDefault(guid) + 1;
            }
        }

        var normalized = new Item?[entries.Count];
        var linkKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var guid = ids[i] is { } id && counts[id] == 1 ? id : null;
            normalized[i] = Normalize(entries[i], feedUri, now, guid);
            if (normalized[i] is { Key: var key } && key.StartsWith(LinkKeyPrefix, StringComparison.Ordinal))
            {
                linkKeys[key] = linkKeys.GetValueOrDefault(key) + 1;
            }
        }

        var items = new List<Item>(entries.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (normalized[i] is not { } item)
            {
                continue;
            }

            if (linkKeys.GetValueOrDefault(item.Key) > 1)
            {
                item = item with { Key = TextKey(item.Title, item.Summary, entries[i].Published ?? entries[i].Updated) };
            }

            if (keys.Add(item.Key))
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <returns>The item, or null when it has neither a title nor any text to show.</returns>
    public static Item? Normalize(FeedItem raw, Uri? feedUri, DateTimeOffset now) => Normalize(raw, feedUri, now, GuidOf(raw));

    private static Item? Normalize(FeedItem raw, Uri? feedUri, DateTimeOffset now, string? guid)
    {
        var title = HtmlText.ToPlainText(raw.Title);

        // The longer of content and summary; plain text is never longer than its markup, so a long enough content
        // spares parsing the summary at all.
        var summary = HtmlText.ToPlainText(raw.Content, MaxSummaryLength + 1);
        if (summary.Length < (raw.Summary?.Length ?? 0) && HtmlText.ToPlainText(raw.Summary, MaxSummaryLength + 1) is { } other && other.Length > summary.Length)
        {
            summary = other;
        }

        if (summary.Length > MaxSummaryLength)
        {
            var cut = summary.LastIndexOf(' ', MaxSummaryLength);
            summary = summary[..(cut > MaxSummaryLength / 2 ? cut : MaxSummaryLength)] + "…";
        }

        if (title.Length == 0)
        {
            if (summary.Length == 0)
            {
                return null;
            }

            // The first sentence, or its first words cut where a word ends and marked as cut: a title that stops mid-word
            // ("… and XML Namespace is a frequent host o") reads as a fault.
            var end = SentenceEnd(summary);
            var space = summary.Length > 120 ? summary.LastIndexOf(' ', 120) : -1;
            title = end is > 0 and < 160 ? summary[..(end + 1)]
                : summary.Length <= 120 ? summary
                : summary[..(space > 60 ? space : 120)].TrimEnd(' ', ',', ';', ':') + "…";
        }

        // An id stands in for a missing link only when it is itself an address: ids are opaque ("42", "post-7"), and
        // resolving one against the feed's address makes a link that leads nowhere.
        var url = CanonicalUrl.Normalize(raw.Link, feedUri) ?? CanonicalUrl.Normalize(raw.Id) ?? "";
        var dated = raw.Published ?? raw.Updated;

        // A date in the future (a wrong zone, a scheduled post) would pin the item to the top of every digest.
        var published = dated is { } date && date <= now ? date : now;
        var author = HtmlText.ToPlainText(raw.Author) is { Length: > 0 } a ? a : null;
        return new Item(Key(guid, url, title, summary, dated), title, url, summary, author, published);
    }

    /// <summary>Where the first sentence ends: a stop followed by a space or the end ("RSS 2.0" and "$3.5bn" go on).</summary>
    private static int SentenceEnd(string text)
    {
        for (var i = text.IndexOfAny(['.', '!', '?']); i >= 0; i = text.IndexOfAny(['.', '!', '?'], i + 1))
        {
            if (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The guid when there is a stable one, else the canonical link, else a hash of the text and the feed's own date
    /// (never the poll time, which would give the entry a new key on every poll).
    /// </summary>
    private static string Key(string? guid, string url, string title, string summary, DateTimeOffset? dated)
    {
        if (guid is not null)
        {
            return "g:" + (guid.Length <= 200 ? guid : Hash(guid));
        }

        if (url.Length > 0)
        {
            return LinkKeyPrefix + (url.Length <= 200 ? url : Hash(url));
        }

        return TextKey(title, summary, dated);
    }

    private const string LinkKeyPrefix = "u:";

    private static string TextKey(string title, string summary, DateTimeOffset? dated) =>
        "h:" + Hash($"{title}|{summary[..Math.Min(summary.Length, 500)]}|{dated?.ToUnixTimeSeconds()}");

    /// <summary>The entry's id as a key: trimmed, and canonical when it is a link, so tracking parameters added per poll don't change it.</summary>
    private static string? GuidOf(FeedItem raw)
    {
        if (string.IsNullOrWhiteSpace(raw.Id))
        {
            return null;
        }

        var id = raw.Id.Trim();
        return id.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? CanonicalUrl.Normalize(id) ?? id : id;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
