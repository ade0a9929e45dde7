using System.Text;
using AngleSharp.Html.Parser;

namespace Digest.Core.Commands;

/// <summary>Finds the feed behind a web page: <c>&lt;link rel="alternate" type="application/rss+xml|atom+xml|feed+json"&gt;</c>.</summary>
public static class FeedDiscovery
{
    private static readonly string[] FeedTypes = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"];

    /// <summary>True when the body is an HTML page rather than a feed.</summary>
    public static bool IsHtml(string? mediaType, byte[] body)
    {
        if (mediaType is not null && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var head = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
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
