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
/// SmartReader, which never fetches anything itself. Results, failures included, are kept in a bounded in-memory
/// cache (<see cref="FullTextOptions.CacheEntries"/> entries; lost on restart). Any failure falls back to the feed's text.
/// </summary>
public sealed partial class ArticleTextFetcher(FeedFetcher fetcher, IOptions<SummarizationOptions> options, ILogger<ArticleTextFetcher> logger) : IDisposable
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

        try
        {
            var html = Decode(result.Body, result.Charset);
            var article = new SmartReader.Reader(result.FinalLocation, html).GetArticle();
            var text = article.IsReadable ? MainText(article.Content) : "";
            if (text.Length == 0)
            {
                LogFallback(logger, url, "no readable article text on the page");
                return null;
            }

            LogExtracted(logger, url, text.Length);
            return text;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFallback(logger, url, e.Message);
            return null;
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
