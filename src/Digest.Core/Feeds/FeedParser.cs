using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Digest.Core.Items;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Core.Feeds;

/// <summary>A parsed feed, or the reason it could not be parsed.</summary>
public sealed record ParsedFeed(string? Title, IReadOnlyList<FeedItem> Items, string? Error)
{
    public static ParsedFeed Fail(string error) => new(null, [], error);
}

/// <summary>
/// Reads RSS 0.9x/1.0/2.0, Atom and JSON Feed. Every XML document is screened first by an <see cref="XmlReader"/> that
/// refuses DTDs and caps the size, because CodeHollow.FeedReader would expand entities; the DOCTYPE is then removed so the
/// parser never sees one. Encodings come from the BOM, then the XML declaration, then the HTTP charset.
/// </summary>
public static partial class FeedParser
{
    public const int MaxCharacters = 20_000_000;

    public static ParsedFeed Parse(byte[] body, string? httpCharset = null)
    {
        string text;
        try
        {
            text = Decode(body, httpCharset);
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException)
        {
            return ParsedFeed.Fail($"unreadable text: {e.Message}");
        }

        var start = FirstContentIndex(text);
        if (start < 0)
        {
            return ParsedFeed.Fail("empty document");
        }

        return text[start] switch
        {
            '{' => ParseJsonFeed(text),
            '<' => ParseXml(text),
            _ => ParsedFeed.Fail("not a feed: neither XML nor JSON"),
        };
    }

    internal static string Decode(byte[] body, string? httpCharset)
    {
        if (body.AsSpan().StartsWith("\uFEFF"u8.ToArray()) || body.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            return Encoding.UTF8.GetString(body, 3, body.Length - 3);
        }

        if (body.Length >= 2 && body[0] == 0xFF && body[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(body, 2, body.Length - 2);
        }

        if (body.Length >= 2 && body[0] == 0xFE && body[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(body, 2, body.Length - 2);
        }

        // The XML declaration is ASCII whatever the encoding (for the encodings feeds use).
        var head = Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 200));
        var declared = XmlEncoding().Match(head);
        var name = declared.Success ? declared.Groups[1].Value : httpCharset;
        var encoding = Lookup(name) ?? Encoding.UTF8;
        return encoding.GetString(body);
    }

    private static Encoding? Lookup(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            var encoding = Encoding.GetEncoding(name.Trim().Trim('"'));

            // Latin-1 documents are nearly always windows-1252 in practice; .NET has Latin-1 built in.
            return encoding.CodePage == 28591 ? Encoding.Latin1 : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int FirstContentIndex(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && text[i] != '\uFEFF')
            {
                return i;
            }
        }

        return -1;
    }

    private static ParsedFeed ParseXml(string text)
    {
        var doctype = Doctype().Match(text);
        if (doctype.Success)
        {
            if (doctype.Groups["subset"].Success)
            {
                return ParsedFeed.Fail("refused: the document declares a DTD with its own entities (entity expansion is not allowed)");
            }

            text = text.Remove(doctype.Index, doctype.Length);
        }

        text = ReplaceHtmlEntities(text);
        if (Screen(text) is { } problem)
        {
            return ParsedFeed.Fail(problem);
        }

        try
        {
            var feed = CodeHollowReader.ReadFromString(text);
            var items = feed.Items.Select(i => new FeedItem(
                i.Id,
                i.Title,
                i.Link,
                i.Description,
                i.Content,
                i.Author,
                i.PublishingDate is { } date ? ToOffset(date) : ParseDate(i.PublishingDateString),
                null)).ToList();
            return new ParsedFeed(feed.Title, items, null);
        }
        catch (Exception e) when (e is XmlException or FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            return ParsedFeed.Fail($"not a feed: {e.Message}");
        }
    }

    /// <summary>A safe pass over the whole document: no DTD, no external resolution, a size cap.</summary>
    internal static string? Screen(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException e)
        {
            return e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "refused: DTDs are not allowed in feeds"
                : $"malformed XML: {e.Message}";
        }
    }

    /// <summary>HTML named entities (&amp;nbsp;, &amp;eacute;) are common in feeds but undeclared in XML; turn them into character references.</summary>
    private static string ReplaceHtmlEntities(string text)
    {
        if (!text.Contains('&'))
        {
            return text;
        }

        return NamedEntity().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (name is "amp" or "lt" or "gt" or "quot" or "apos")
            {
                return m.Value;
            }

            var decoded = System.Net.WebUtility.HtmlDecode(m.Value);
            if (decoded == m.Value)
            {
                return m.Value;
            }

            var builder = new StringBuilder();
            foreach (var rune in decoded.EnumerateRunes())
            {
                builder.Append("&#").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
            }

            return builder.ToString();
        });
    }

    private static ParsedFeed ParseJsonFeed(string text)
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
                    ParseDate(String(item, "date_published")),
                    ParseDate(String(item, "date_modified"))));
            }

            return new ParsedFeed(String(root, "title"), result, null);
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

    private static DateTimeOffset ToOffset(DateTime date) => date.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(date, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc), TimeSpan.Zero),
    };

    private static readonly string[] DateFormats =
    [
        "ddd, d MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm zzz", "d MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>Dates with fallbacks: RFC 822 (with named zones), ISO 8601, and what people actually write.</summary>
    public static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = ZoneName().Replace(value.Trim(), m => m.Groups[1].Value switch
        {
            "GMT" or "UT" or "UTC" or "Z" => "+00:00",
            "EST" => "-05:00",
            "EDT" => "-04:00",
            "CST" => "-06:00",
            "CDT" => "-05:00",
            "MST" => "-07:00",
            "MDT" => "-06:00",
            "PST" => "-08:00",
            "PDT" => "-07:00",
            _ => m.Value,
        });
        text = NumericZone().Replace(text, "$1$2:$3");

        if (DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var exact))
        {
            return exact;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var loose) ? loose : null;
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlEncoding();

    [GeneratedRegex(@"<!DOCTYPE\s[^\[>]*(?<subset>\[[\s\S]*?\]\s*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    [GeneratedRegex("&([A-Za-z][A-Za-z0-9]{1,31});")]
    private static partial Regex NamedEntity();

    [GeneratedRegex(@"\b(GMT|UTC|UT|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT)$")]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"([+-])(\d{2})(\d{2})$")]
    private static partial Regex NumericZone();
}
