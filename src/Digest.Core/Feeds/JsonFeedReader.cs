using System.Text.Json;
using Digest.Core.Items;

namespace Digest.Core.Feeds;

/// <summary>JSON Feed 1.0/1.1, read with System.Text.Json (depth-limited).</summary>
internal static class JsonFeedReader
{
    public static ParsedFeed Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return ParsedFeed.Fail("not a JSON Feed: no \"items\" array");
            }

            var result = new List<FeedItem>();
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                result.Add(new FeedItem(
                    String(item, "id"),
                    String(item, "title"),
                    String(item, "url") ?? String(item, "external_url"),
                    String(item, "summary"),
                    String(item, "content_html") ?? String(item, "content_text"),
                    Author(item),
                    FeedParser.ParseDate(String(item, "date_published")),
                    FeedParser.ParseDate(String(item, "date_modified"))));
            }

            return new ParsedFeed(String(root, "title"), result, null) { Format = JsonFormat(root), Link = String(root, "home_page_url") };
        }
        catch (JsonException e)
        {
            return ParsedFeed.Fail($"malformed JSON: {e.Message}");
        }
    }

    private static string? String(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    } : null;

    private static string? Author(JsonElement item)
    {
        if (item.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            var names = authors.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object).Select(a => String(a, "name")).OfType<string>().ToList();
            if (names.Count > 0)
            {
                return string.Join(", ", names);
            }
        }

        return item.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? String(author, "name") : null;
    }

    private static string JsonFormat(JsonElement root) => String(root, "version") switch
    {
        { } v when v.EndsWith("/1.1", StringComparison.Ordinal) => "JSON Feed 1.1",
        { } v when v.EndsWith("/1", StringComparison.Ordinal) => "JSON Feed 1.0",
        _ => "JSON Feed",
    };
}
