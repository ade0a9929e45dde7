using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Summarization;

/// <summary>
/// Gives key-line extraction the article behind a feed item when the feed carries only a teaser: the page is fetched
/// through <see cref="FeedFetcher"/> (size cap, timeout, address guard, per-host limits) and its main text taken with
/// SmartReader, which never fetches anything itself. A page is screened before SmartReader sees it — nesting deeper
/// than <see cref="FullTextOptions.MaxDepth"/> or more than <see cref="FullTextOptions.MaxElements"/> elements, counted
/// by a linear tokenizer pass, refuses it — and extraction is cut off after the fetch timeout, with shutdown honoured
/// at once. Results, failures included, are kept in a bounded in-memory cache
/// (<see cref="FullTextOptions.CacheEntries"/> entries; lost on restart). Any failure falls back to the feed's text.
/// </summary>
internal sealed partial class ArticleTextFetcher(FeedFetcher fetcher, IOptions<SummarizationOptions> options, ILogger<ArticleTextFetcher> logger) : IDisposable
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    private readonly FullTextOptions settings = options.Value.FullText;
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = options.Value.FullText.CacheEntries });

    /// <summary>The story's items as key-line sources, in the order given, each with the best text to be had.</summary>
    public async Task<IReadOnlyList<SourceText>> GetSourcesAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken) =>
        await Task.WhenAll(items.Select(i => GetSourceAsync(i, cancellationToken)));

    public async Task<SourceText> GetSourceAsync(StoredItem stored, CancellationToken cancellationToken)
    {
        var item = stored.Item;
        var fromFeed = new SourceText(item.Title, item.Summary, stored.FeedName, item.Published);
        if (!ShouldFetch(stored))
        {
            return fromFeed;
        }

        var article = await cache.GetOrCreateAsync(item.Url, async entry =>
        {
            entry.Size = 1;
            return await FetchArticleAsync(item.Url, cancellationToken);
        });
        return article is not null && article.Length > item.Summary.Length ? fromFeed with { Text = article } : fromFeed;
    }

    private bool ShouldFetch(StoredItem stored) =>
        settings.Enabled
        && stored.Relevance is { Relevant: true }
        && stored.Item.Summary.Length < settings.TeaserChars
        && !settings.ExcludeFeeds.Contains(stored.FeedName, StringComparer.OrdinalIgnoreCase)
        && Uri.TryCreate(stored.Item.Url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps); // never a file: or a path from a feed

    private async Task<string?> FetchArticleAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadArticleAsync(url, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Extraction gets as long as a fetch may take, no more (the fetch itself is timed by the fetcher).
            var reason = string.Create(CultureInfo.InvariantCulture, $"extraction cut off after {fetcher.Timeout.TotalSeconds:0.#} s");
            LogFallback(logger, url, reason);
            return null;
        }
    }

    private async Task<string?> ReadArticleAsync(string url, CancellationToken cancellationToken)
    {
        var result = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (result.Status != FetchStatus.Ok || result.Body is null)
        {
            var reason = result.Error ?? "not modified";
            LogFallback(logger, url, reason);
            return null;
        }

        if (result.MediaType is not null && !result.MediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            var reason = "not a web page: " + result.MediaType;
            LogFallback(logger, url, reason);
            return null;
        }

        var html = Decode(result.Body, result.Charset);
        if (HtmlScreen.Check(html, settings.MaxDepth, settings.MaxElements, cancellationToken) is { } refused)
        {
            LogFallback(logger, url, refused);
            return null;
        }

        // SmartReader can't be cancelled: it runs beside us, and we stop waiting for it when the budget or shutdown says so.
        var extraction = Task.Run(() => Extract(result.FinalLocation, html, settings.MaxElements), CancellationToken.None);
        var (text, failure) = await extraction.WaitAsync(fetcher.Timeout, cancellationToken);
        if (text is null)
        {
            LogFallback(logger, url, failure ?? "no readable article text on the page");
            return null;
        }

        LogExtracted(logger, url, text.Length);
        return text;
    }

    private static (string? Text, string? Failure) Extract(string location, string html, int maxElements)
    {
        try
        {
            var reader = new SmartReader.Reader(location, html) { MaxElemsToParse = maxElements };
            var article = reader.GetArticle();
            var text = article.IsReadable ? MainText(article.Content) : "";
            return text.Length == 0 ? (null, null) : (text, null);
        }
        catch (Exception e)
        {
            return (null, e.Message);
        }
    }

    private static string Decode(byte[] body, string? charset)
    {
        try
        {
            return (charset is { Length: > 0 } ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8).GetString(body);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8.GetString(body);
        }
    }

    /// <summary>The article's blocks as plain text, one paragraph a line, so sentence splitting knows where paragraphs start.</summary>
    internal static string MainText(string articleHtml)
    {
        var document = Parser.ParseDocument(articleHtml);
        var blocks = document.QuerySelectorAll("p, h1, h2, h3, h4, h5, h6, li, blockquote, pre")
            .Where(e => e.QuerySelector("p, li, blockquote, pre") is null)
            .Select(e => HtmlText.Fold(e.TextContent))
            .Where(t => t.Length > 0)
            .ToList();
        return blocks.Count > 0 ? string.Join('\n', blocks) : HtmlText.ToPlainText(articleHtml);
    }

    public void Dispose() => cache.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Article text for {ArticleUrl}: {Chars} characters")]
    private static partial void LogExtracted(ILogger logger, string articleUrl, int chars);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Using the feed's text for {ArticleUrl}: {Reason}")]
    private static partial void LogFallback(ILogger logger, string articleUrl, string reason);
}
