using System.Text;
using AngleSharp.Html.Parser;

namespace Digest.Core.Feeds;

/// <summary>Finds the feed behind a web page: <c>&lt;link rel="alternate" type="application/rss+xml|atom+xml|feed+json"&gt;</c>.</summary>
internal static class FeedDiscovery
{
    private static readonly System.Buffers.SearchValues<char> NameEnd = System.Buffers.SearchValues.Create(" \t\r\n/>");

    private static readonly string[] FeedTypes = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"];

    /// <summary>
    /// True when the body is an HTML page rather than a feed: decided by what the document starts with (its first
    /// element, or an HTML doctype), since servers label feeds text/html and pages text/xml; the media type only
    /// decides when the start says nothing.
    /// </summary>
    public static bool IsHtml(string? mediaType, byte[] body)
    {
        var head = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 4096));
        for (var i = head.IndexOf('<', StringComparison.Ordinal); i >= 0 && i < head.Length - 1; i = head.IndexOf('<', i + 1))
        {
            var rest = head.AsSpan(i + 1);
            if (rest.StartsWith("!doctype html", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (!char.IsLetter(rest[0]))
            {
                continue;
            }

            var end = rest.IndexOfAny(NameEnd);
            var name = (end < 0 ? rest : rest[..end]).ToString();
            var local = name.Contains(':', StringComparison.Ordinal) ? name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..] : name;
            return local.ToLowerInvariant() switch
            {
                "html" or "head" or "body" or "meta" or "title" or "link" or "script" or "div" => true,
                "rss" or "feed" or "rdf" or "channel" => false,
                _ => mediaType is not null && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase),
            };
        }

        var first = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return !first.StartsWith('{') && mediaType is not null && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first advertised feed, resolved against the page's address; null when the page advertises none.</summary>
    public static Uri? Find(byte[] html, Uri page)
    {
        var document = new HtmlParser().ParseDocument(Encoding.UTF8.GetString(html));
        var baseHref = document.QuerySelector("base[href]")?.GetAttribute("href");
        var baseUri = baseHref is not null && Uri.TryCreate(page, baseHref, out var b) ? b : page;
        foreach (var link in document.QuerySelectorAll("link[href]"))
        {
            var rel = (link.GetAttribute("rel") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var type = (link.GetAttribute("type") ?? "").Trim();
            if (rel.Contains("alternate", StringComparer.OrdinalIgnoreCase)
                && FeedTypes.Contains(type, StringComparer.OrdinalIgnoreCase)
                && Uri.TryCreate(baseUri, link.GetAttribute("href")!.Trim(), out var feed)
                && (feed.Scheme == Uri.UriSchemeHttp || feed.Scheme == Uri.UriSchemeHttps))
            {
                return feed;
            }
        }

        return null;
    }
}
