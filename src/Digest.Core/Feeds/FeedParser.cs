using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using CodeHollow.FeedReader.Feeds;
using Digest.Core.Items;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Core.Feeds;

/// <summary>A parsed feed, or the reason it could not be parsed.</summary>
public sealed record ParsedFeed(string? Title, IReadOnlyList<FeedItem> Items, string? Error)
{
    public static ParsedFeed Fail(string error) => new(null, [], error);
}

/// <summary>
/// Reads RSS 0.9x/1.0/2.0, Atom and JSON Feed. CodeHollow.FeedReader expands DTD entities, so it never sees a DOCTYPE:
/// one with its own declarations refuses the document, a bare external reference (RSS 0.91) is dropped, and an
/// <see cref="XmlReader"/> with DTDs prohibited then screens the prolog, where a DOCTYPE must stand, so whatever passes
/// has none. Documents are capped in size. Encodings come from the BOM, then the XML declaration, then the HTTP charset.
/// Never throws for a bad document: it gives a reason instead.
/// </summary>
public static partial class FeedParser
{
    public const int MaxCharacters = 20_000_000;

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    public static ParsedFeed Parse(byte[] body, string? httpCharset = null)
    {
        if (body.Length > MaxCharacters)
        {
            return ParsedFeed.Fail(string.Create(CultureInfo.InvariantCulture, $"document too large: {body.Length:N0} bytes, the limit is {MaxCharacters:N0}"));
        }

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
        ReadOnlySpan<byte> span = body;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(span[3..]);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00, 0x3F, 0x00]))
        {
            return Encoding.Unicode.GetString(span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? span[2..] : span);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || span.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C, 0x00, 0x3F]))
        {
            return Encoding.BigEndianUnicode.GetString(span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? span[2..] : span);
        }

        // The XML declaration is ASCII whatever the encoding (for the byte-oriented encodings feeds use).
        var head = Encoding.ASCII.GetString(span[..Math.Min(span.Length, 200)]);
        var declared = XmlEncoding().Match(head);
        // A declaration readable as ASCII means a byte-oriented encoding, whatever its label says about UTF-16 or UTF-32.
        var encoding = (declared.Success && Lookup(declared.Groups[1].Value) is { } label ? (label is UnicodeEncoding or UTF32Encoding ? Encoding.UTF8 : label) : null)
            ?? Lookup(httpCharset) ?? Encoding.UTF8;
        return encoding.GetString(body);
    }

    /// <summary>An encoding by label, with the code pages .NET keeps outside the core (windows-1252, KOI8-R, GB2312…).</summary>
    internal static Encoding? Lookup(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        name = name.Trim().Trim('"', '\'');

        // As browsers do (WHATWG Encoding): documents labelled Latin-1 or ASCII are windows-1252 in practice, a superset
        // that maps 0x80–0x9F to curly quotes and dashes instead of control characters.
        if (name.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) || name.Equals("latin1", StringComparison.OrdinalIgnoreCase)
            || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || name.Equals("ascii", StringComparison.OrdinalIgnoreCase))
        {
            name = "windows-1252";
        }

        try
        {
            return System.Text.CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
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
        text = WithoutControlCharacters(text);

        // A DOCTYPE stands before the root element; one later on is inside content (an article's HTML in CDATA).
        var doctype = Doctype().Match(text, 0, RootElementIndex(text));
        if (doctype.Success)
        {
            if (doctype.Groups["subset"] is { Success: true, Value: var subset })
            {
                return ParsedFeed.Fail(subset.Contains("SYSTEM", StringComparison.Ordinal) || subset.Contains("PUBLIC", StringComparison.Ordinal)
                    ? "refused: the document's DTD declares an external entity (feeds may not make the reader load other resources)"
                    : "refused: the document's DTD declares entities (entity expansion is not allowed)");
            }

            // An external DTD by reference only (RSS 0.91 does this): nothing is loaded, the declaration is dropped.
            text = text.Remove(doctype.Index, doctype.Length);
        }

        text = NamedEntity().Replace(text, ToCharacterReferences);
        if (Screen(text) is { } problem)
        {
            return ParsedFeed.Fail(problem);
        }

        CodeHollow.FeedReader.Feed feed;
        try
        {
            feed = CodeHollowReader.ReadFromString(text);
        }
        catch (XmlException e)
        {
            return ParsedFeed.Fail($"malformed XML: {e.Message}");
        }
        catch (Exception e)
        {
            // The library throws plain Exception for an unknown root, and NullReferenceException when an element it
            // counts on is missing.
            return ParsedFeed.Fail(e is NullReferenceException
                ? "not a feed: elements a feed needs are missing (an rss version, a channel)"
                : $"not a feed: {e.Message}");
        }

        return new ParsedFeed(feed.Title, feed.Items.Select(ToFeedItem).ToList(), null);
    }

    private static FeedItem ToFeedItem(CodeHollow.FeedReader.FeedItem item)
    {
        var published = ParseDate(item.PublishingDateString) ?? (item.PublishingDate is { } date ? ToOffset(date) : null);
        return item.SpecificItem switch
        {
            // The library takes an entry's first link whatever its rel (it may be "replies" or "enclosure"), and drops <updated>.
            AtomFeedItem atom => new FeedItem(
                item.Id,
                item.Title,
                atom.Links?.FirstOrDefault(l => string.IsNullOrEmpty(l.Relation) || l.Relation == "alternate")?.Href ?? item.Link,
                item.Description,
                item.Content,
                item.Author,
                published,
                ParseDate(atom.UpdatedDateString)),
            Rss20FeedItem rss => new FeedItem(
                item.Id,
                item.Title,
                item.Link,
                item.Description,
                item.Content,
                item.Author ?? rss.DC?.Creator,
                published ?? ParseDate(rss.DC?.DateString),
                null),
            _ => new FeedItem(item.Id, item.Title, item.Link, item.Description, item.Content, item.Author, published, null),
        };
    }

    /// <summary>Control characters are not allowed in XML 1.0, yet real feeds carry stray ones; they are dropped, not fatal.</summary>
    private static string WithoutControlCharacters(string text)
    {
        if (!text.AsSpan().ContainsAny(ControlCharacters))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!ControlCharacters.Contains(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Where the first element tag starts (or the end): a '&lt;' followed by a letter, so not a declaration, comment or DOCTYPE.</summary>
    private static int RootElementIndex(string text)
    {
        for (var i = text.IndexOf('<', StringComparison.Ordinal); i >= 0 && i < text.Length - 1; i = text.IndexOf('<', i + 1))
        {
            if (char.IsLetter(text[i + 1]))
            {
                return i;
            }
        }

        return text.Length;
    }

    private static readonly XmlReaderSettings ScreenSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    /// <summary>
    /// A safe reader over the prolog, up to the root element: that is where a DOCTYPE must stand, so a document that
    /// passes has no DTD and nothing for the library's parser to expand or load. The rest of the document is checked by
    /// the library's own parse (a third full pass would double the cost of parsing for nothing).
    /// </summary>
    internal static string? Screen(string text)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), ScreenSettings);
            while (reader.Read() && reader.NodeType != XmlNodeType.Element)
            {
            }

            return reader.NodeType == XmlNodeType.Element ? null : "malformed XML: no root element";
        }
        catch (XmlException e)
        {
            return e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "refused: DTDs are not allowed in feeds"
                : $"malformed XML: {e.Message}";
        }
    }

    /// <summary>HTML named entities (&amp;nbsp;, &amp;eacute;) are common in feeds but undeclared in XML; they become character references.</summary>
    private static string ToCharacterReferences(Match entity)
    {
        var decoded = System.Net.WebUtility.HtmlDecode(entity.Value);
        if (decoded == entity.Value)
        {
            return entity.Value;
        }

        var builder = new StringBuilder();
        foreach (var rune in decoded.EnumerateRunes())
        {
            builder.Append("&#").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
        }

        return builder.ToString();
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
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>RFC 822 zone names (and a few that feeds use anyway). Ambiguous ones such as IST are left out.</summary>
    private static readonly Dictionary<string, string> ZoneOffsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00", ["WET"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["CST"] = "-06:00", ["CDT"] = "-05:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["PST"] = "-08:00", ["PDT"] = "-07:00",
        ["BST"] = "+01:00", ["CET"] = "+01:00", ["CEST"] = "+02:00", ["WEST"] = "+01:00", ["EET"] = "+02:00", ["EEST"] = "+03:00",
        ["MSK"] = "+03:00", ["JST"] = "+09:00", ["KST"] = "+09:00", ["AEST"] = "+10:00", ["AEDT"] = "+11:00",
    };

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Dates with fallbacks: RFC 822 (named and numeric zones, with or without the day name, which is often wrong),
    /// ISO 8601, and what people actually write. No zone means UTC. Dates before 1990 count as missing.
    /// </summary>
    public static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();

        // "Tue, 10 Jun 2003": the day name only adds a way to fail.
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma is > 0 and <= 10 && !text.AsSpan(0, comma).ContainsAnyExcept(AsciiLetters))
        {
            text = text[(comma + 1)..].TrimStart();
        }

        var space = text.LastIndexOf(' ');
        if (space > 0)
        {
            var zone = text.AsSpan(space + 1);
            if (ZoneOffsets.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(zone, out var offset))
            {
                text = string.Concat(text.AsSpan(0, space + 1), offset);
            }
            else if (zone.Length == 5 && zone[0] is '+' or '-' && int.TryParse(zone[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                text = string.Concat(text.AsSpan(0, space + 1), zone[..3], ":", zone[3..]);
            }
        }

        const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        if (!DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, styles, out var date)
            && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out date))
        {
            return null;
        }

        return date < Earliest ? null : date;
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlEncoding();

    [GeneratedRegex(@"<!DOCTYPE\s[^\[>]*(?<subset>\[[\s\S]*?\]\s*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    // The five XML entities are left out, so a document without HTML entities is returned as is, unallocated.
    [GeneratedRegex("&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z][A-Za-z0-9]{1,31};")]
    private static partial Regex NamedEntity();
}
