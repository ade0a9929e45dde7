using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Digest.Core.Items;

namespace Digest.Core.Feeds;

/// <summary>One entry as a moderator previews it: its title as Digest shows it, its link, its date (null when it has none).</summary>
internal sealed record PreviewItem(string Title, string? Url, DateTimeOffset? Published);

/// <summary>
/// What a moderator needs to judge a feed before following it — the same for <c>digest feeds check</c> and
/// <c>/feeds add</c>: its title, format, encoding, entries and what was odd about it. It holds the addresses as they
/// are (the feed's is what gets stored); every rendering shows them redacted.
/// </summary>
internal sealed record FeedPreview(
    string FeedUrl,
    string? DiscoveredFrom,
    string? Title,
    string Format,
    string Encoding,
    IReadOnlyList<PreviewItem> Items,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Entries shown in a chat reply; the CLI shows them all.</summary>
    public const int ChatItems = 5;

    /// <summary>
    /// Fetches the address through the same fetcher as polling (address guard, size cap, timeout, redirects), follows a
    /// web page to the feed it advertises, and parses within the same limits. The error is one line a moderator reads.
    /// </summary>
    public static async Task<(FeedPreview? Preview, string? Error)> LoadAsync(FeedFetcher fetcher, string location, TimeProvider time, CancellationToken cancellationToken)
    {
        var document = await FeedIngest.FetchAsync(fetcher, new FetchRequest(location), cancellationToken);
        var fetched = document.Fetched;
        if (fetched.Status != FetchStatus.Ok)
        {
            return (null, SafeUrl.RedactIn(fetched.Error ?? "not fetched"));
        }

        Uri.TryCreate(fetched.FinalLocation, UriKind.Absolute, out var documentUri);
        var parsed = FeedParser.Parse(fetched.Body!, fetched.Charset, documentUri, fetcher.ParseLimits with { Time = time });
        return parsed.Error is { } error
            ? (null, SafeUrl.RedactIn(error))
            : (From(parsed, document.Location, document.DiscoveredFrom, documentUri, time.GetUtcNow()), null);
    }

    /// <summary>The preview of a parsed feed: entries as Digest will show them, and warnings for those it will skip.</summary>
    public static FeedPreview From(ParsedFeed parsed, string feedUrl, string? discoveredFrom, Uri? documentUri, DateTimeOffset now)
    {
        var items = new List<PreviewItem>(parsed.Items.Count);
        var empty = 0;
        foreach (var entry in parsed.Items)
        {
            var item = ItemNormalizer.Normalize(entry, documentUri, now);
            empty += item is null ? 1 : 0;
            items.Add(new PreviewItem(
                item?.Title ?? "(nothing to show)",
                item is { Url.Length: > 0 } ? item.Url : CanonicalUrl.Normalize(entry.Link, documentUri),
                entry.Published ?? entry.Updated));
        }

        var warnings = new List<string>(parsed.Warnings);
        if (discoveredFrom is not null)
        {
            warnings.Insert(0, $"discovered from the web page {SafeUrl.Redact(discoveredFrom)}");
        }

        if (empty > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{empty} entries have no title, text or link and will not be stored"));
        }

        return new FeedPreview(feedUrl, discoveredFrom,
            HtmlText.ToPlainText(parsed.Title) is { Length: > 0 } title ? title : null,
            parsed.Format ?? "unknown", parsed.Encoding ?? "utf-8", items, warnings);
    }

    /// <summary>The preview as text: a heading, one line per entry (all, or the first <paramref name="maxItems"/>), the warnings.</summary>
    public string ToText(int maxItems = int.MaxValue)
    {
        var text = new StringBuilder();
        text.AppendLine(Title ?? "(untitled feed)");
        text.AppendLine(CultureInfo.InvariantCulture, $"{Format} · {Encoding} · {Items.Count} {(Items.Count == 1 ? "item" : "items")} · {SafeUrl.Redact(FeedUrl)}");
        foreach (var item in Items.Take(maxItems))
        {
            var date = item.Published is { } published ? published.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "(no date)        ";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {date}  {item.Title}");
            if (item.Url is { } url)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"                    {SafeUrl.Redact(url)}");
            }
        }

        if (Items.Count > maxItems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  … and {Items.Count - maxItems} more");
        }

        foreach (var warning in Warnings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"warning: {warning}");
        }

        return text.ToString().TrimEnd();
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"title","format","encoding","feedUrl","discoveredFrom","itemCount","items":[{"title","url","published"}],"warnings":[…]}</c></summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("title", Title);
            json.WriteString("format", Format);
            json.WriteString("encoding", Encoding);
            json.WriteString("feedUrl", SafeUrl.Redact(FeedUrl));
            json.WriteString("discoveredFrom", DiscoveredFrom is null ? null : SafeUrl.Redact(DiscoveredFrom));
            json.WriteNumber("itemCount", Items.Count);
            json.WriteStartArray("items");
            foreach (var item in Items)
            {
                json.WriteStartObject();
                json.WriteString("title", item.Title);
                json.WriteString("url", item.Url is null ? null : SafeUrl.Redact(item.Url));
                if (item.Published is { } published)
                {
                    json.WriteString("published", published.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteNull("published");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in Warnings)
            {
                json.WriteStringValue(warning);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
