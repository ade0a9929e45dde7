using System.Security.Cryptography;
using System.Text;

namespace Digest.Core.Items;

/// <summary>Turns what a parser read into a clean <see cref="Item"/>: plain text, canonical link, a stable key, a sane date.</summary>
public static class ItemNormalizer
{
    public const int MaxSummaryLength = 4000;

    /// <returns>The item, or null when it has neither a title nor any text to show.</returns>
    public static Item? Normalize(FeedItem raw, Uri? feedUri, DateTimeOffset now)
    {
        var title = HtmlText.ToPlainText(raw.Title);
        var content = HtmlText.ToPlainText(raw.Content);
        var summary = HtmlText.ToPlainText(raw.Summary);
        if (content.Length > summary.Length)
        {
            summary = content;
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

            var end = summary.IndexOfAny(['.', '!', '?']);
            title = end is > 0 and < 160 ? summary[..(end + 1)] : summary[..Math.Min(summary.Length, 120)];
        }

        var url = CanonicalUrl.Normalize(raw.Link, feedUri) ?? CanonicalUrl.Normalize(raw.Id, feedUri) ?? "";
        var published = raw.Published ?? raw.Updated ?? now;
        if (published > now)
        {
            published = now;
        }

        return new Item(Key(raw, url, title, published), title, url, summary, HtmlText.ToPlainText(raw.Author) is { Length: > 0 } a ? a : null, published);
    }

    /// <summary>The guid when there is one, else the canonical link, else a hash of title and date.</summary>
    private static string Key(FeedItem raw, string url, string title, DateTimeOffset published)
    {
        if (!string.IsNullOrWhiteSpace(raw.Id))
        {
            var id = raw.Id.Trim();
            return "g:" + (id.Length <= 200 ? id : Hash(id));
        }

        if (url.Length > 0)
        {
            return "u:" + (url.Length <= 200 ? url : Hash(url));
        }

        return "h:" + Hash(title + "|" + published.ToUnixTimeSeconds());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
