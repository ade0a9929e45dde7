using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using Digest.Core.Digests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Digest.Web.Public;

/// <summary>
/// The digest as feeds any reader follows: <c>/feed.atom</c> (Atom 1.0, RFC 4287) and <c>/feed.json</c> (JSON Feed 1.1)
/// of the stories <c>/</c> shows, and the same under <c>/c/{community}/</c> for a community with a public page. Each entry
/// is a story: its page here, its headline, key lines with speakers and sources; it is updated when the story is.
/// </summary>
internal static class PublicFeeds
{
    /// <summary>Stories in a community's page and feeds.</summary>
    public const int Count = 20;

    public static void MapPublicFeeds(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/feed.atom", async (HttpContext context, LatestStories latest, IOptions<WebOptions> options) =>
            Atom(await latest.DefaultAsync(context.RequestAborted), Links.Base(context.Request, options.Value.PublicUrl), "", "Digest — latest stories"));
        endpoints.MapGet("/feed.json", async (HttpContext context, LatestStories latest, IOptions<WebOptions> options) =>
            JsonFeed(await latest.DefaultAsync(context.RequestAborted), Links.Base(context.Request, options.Value.PublicUrl), "", "Digest — latest stories"));
        endpoints.MapGet("/c/{community}/feed.atom", async (string community, HttpContext context, LatestStories latest, IOptions<WebOptions> options) =>
            await latest.CommunityAsync(community, Count, context.RequestAborted) is { } digest
                ? Atom(digest, Links.Base(context.Request, options.Value.PublicUrl), $"c/{Uri.EscapeDataString(community)}/", $"Digest — {community}")
                : Results.NotFound());
        endpoints.MapGet("/c/{community}/feed.json", async (string community, HttpContext context, LatestStories latest, IOptions<WebOptions> options) =>
            await latest.CommunityAsync(community, Count, context.RequestAborted) is { } digest
                ? JsonFeed(digest, Links.Base(context.Request, options.Value.PublicUrl), $"c/{Uri.EscapeDataString(community)}/", $"Digest — {community}")
                : Results.NotFound());
    }

    public static IResult Atom(DigestModel digest, Uri site, string prefix, string title)
    {
        var home = new Uri(site, prefix);
        var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
            xml.WriteElementString("id", home.AbsoluteUri);
            xml.WriteElementString("title", title);
            xml.WriteElementString("updated", Rfc3339(digest.Stories.Count > 0 ? digest.Stories.Max(s => s.LastSeen) : digest.GeneratedAt));
            Link(xml, "alternate", home.AbsoluteUri, "text/html");
            Link(xml, "self", new Uri(home, "feed.atom").AbsoluteUri, "application/atom+xml");
            xml.WriteStartElement("author");
            xml.WriteElementString("name", "Digest");
            xml.WriteEndElement();
            xml.WriteElementString("generator", "Digest");
            foreach (var story in digest.Stories)
            {
                var page = new Uri(site, $"stories/{story.Id}").AbsoluteUri;
                xml.WriteStartElement("entry");
                xml.WriteElementString("id", page);
                xml.WriteElementString("title", story.Title);
                xml.WriteElementString("published", Rfc3339(story.Published));
                xml.WriteElementString("updated", Rfc3339(story.LastSeen > story.Published ? story.LastSeen : story.Published));
                Link(xml, "alternate", page, "text/html");
                if (Links.Safe(story.Url) is var original and not "#")
                {
                    Link(xml, "related", original, "text/html");
                }

                foreach (var tag in story.Tags)
                {
                    xml.WriteStartElement("category");
                    xml.WriteAttributeString("term", tag);
                    xml.WriteEndElement();
                }

                xml.WriteStartElement("summary");
                xml.WriteAttributeString("type", "text");
                xml.WriteString(Text(story));
                xml.WriteEndElement();
                xml.WriteStartElement("content");
                xml.WriteAttributeString("type", "html");
                xml.WriteString(Html(story));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    public static IResult JsonFeed(DigestModel digest, Uri site, string prefix, string title)
    {
        var home = new Uri(site, prefix);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", "https://jsonfeed.org/version/1.1");
            json.WriteString("title", title);
            json.WriteString("home_page_url", home.AbsoluteUri);
            json.WriteString("feed_url", new Uri(home, "feed.json").AbsoluteUri);
            json.WriteString("language", "en");
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", "Digest");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("items");
            foreach (var story in digest.Stories)
            {
                var page = new Uri(site, $"stories/{story.Id}").AbsoluteUri;
                json.WriteStartObject();
                json.WriteString("id", page);
                json.WriteString("url", page);
                if (Links.Safe(story.Url) is var original and not "#")
                {
                    json.WriteString("external_url", original);
                }

                json.WriteString("title", story.Title);
                json.WriteString("content_html", Html(story));
                json.WriteString("content_text", Text(story));
                json.WriteString("date_published", Rfc3339(story.Published));
                json.WriteString("date_modified", Rfc3339(story.LastSeen > story.Published ? story.LastSeen : story.Published));
                if (story.Tags.Count > 0)
                {
                    json.WriteStartArray("tags");
                    foreach (var tag in story.Tags)
                    {
                        json.WriteStringValue(tag);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Results.Bytes(buffer.ToArray(), "application/feed+json; charset=utf-8");
    }

    /// <summary>Key lines with their speakers, then the sources: what a reader shows as the entry.</summary>
    private static string Html(DigestStory story)
    {
        var html = new StringBuilder();
        if (story.KeyLines.Count > 0)
        {
            html.Append("<ul>");
            foreach (var line in story.KeyLines)
            {
                html.Append("<li>").Append(WebUtility.HtmlEncode(line.Text));
                if (line.Credit() is { } speaker)
                {
                    html.Append(" — <em>").Append(WebUtility.HtmlEncode(speaker)).Append("</em>");
                }

                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<p>Sources: ");
        html.AppendJoin(", ", story.Sources.Select(s => $"<a href=\"{WebUtility.HtmlEncode(Links.Safe(s.Url))}\">{WebUtility.HtmlEncode(s.Name)}</a>"));
        html.Append("</p>");
        return html.ToString();
    }

    private static string Text(DigestStory story)
    {
        var lines = story.KeyLines.Select(k => k.Credit() is { } speaker ? $"{k.Text} — {speaker}" : k.Text).ToList();
        lines.Add("Sources: " + string.Join(", ", story.Sources.Select(s => s.Name)));
        return string.Join("\n", lines);
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link");
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
