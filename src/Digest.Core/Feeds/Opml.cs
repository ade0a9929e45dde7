using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Digest.Core.Feeds;

/// <summary>One feed in an OPML file.</summary>
internal sealed record OpmlFeed(string Url, string Name);

/// <summary>Reads and writes OPML 2.0 subscription lists (DTDs refused, like feeds).</summary>
internal static class Opml
{
    public static IReadOnlyList<OpmlFeed> Parse(string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = FeedParser.MaxCharacters };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var document = XDocument.Load(reader);
        return document.Descendants("outline")
            .Select(o => (Url: (string?)o.Attribute("xmlUrl"), Name: (string?)o.Attribute("title") ?? (string?)o.Attribute("text")))
            .Where(o => !string.IsNullOrWhiteSpace(o.Url))
            .Select(o => new OpmlFeed(o.Url!.Trim(), string.IsNullOrWhiteSpace(o.Name) ? o.Url!.Trim() : o.Name!.Trim()))
            .DistinctBy(o => o.Url)
            .ToList();
    }

    public static string Write(string title, IEnumerable<OpmlFeed> feeds)
    {
        var builder = new StringBuilder();
        builder.AppendLine("""<?xml version="1.0" encoding="UTF-8"?>""");
        builder.AppendLine("""<opml version="2.0">""");
        builder.Append("  <head><title>").Append(SecurityElement.Escape(title)).AppendLine("</title></head>");
        builder.AppendLine("  <body>");
        foreach (var feed in feeds)
        {
            var name = SecurityElement.Escape(feed.Name);
            builder.Append("    <outline type=\"rss\" text=\"").Append(name).Append("\" title=\"").Append(name)
                .Append("\" xmlUrl=\"").Append(SecurityElement.Escape(feed.Url)).AppendLine("\"/>");
        }

        builder.AppendLine("  </body>");
        builder.AppendLine("</opml>");
        return builder.ToString();
    }
}
