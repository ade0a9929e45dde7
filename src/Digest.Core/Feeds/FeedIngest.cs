using Digest.Core.Items;

namespace Digest.Core.Feeds;

/// <summary>What reading a feed gave: its items, the validators for the next conditional request, or the reason it failed.</summary>
internal sealed record IngestResult(FetchStatus Status, string? Title, IReadOnlyList<Item> Items, string? ETag, string? LastModified, string? Error)
{
    /// <summary>The feed a web page pointed to, when the address given was a page (null when it was the feed itself).</summary>
    public string? DiscoveredFeedUrl { get; init; }
}

/// <summary>A feed's document as fetched, from <paramref name="Location"/>: the address given, or the feed the web page there advertised.</summary>
internal sealed record FeedDocument(FetchResult Fetched, string Location, string? DiscoveredFrom);

/// <summary>The first three stages for one feed: fetch (conditional), parse, normalize. Never throws for a bad feed.</summary>
internal static class FeedIngest
{
    public static async Task<IngestResult> ReadAsync(FeedFetcher fetcher, FetchRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        var document = await FetchAsync(fetcher, request, cancellationToken);
        var fetched = document.Fetched;
        if (fetched.Status != FetchStatus.Ok)
        {
            return new IngestResult(fetched.Status, null, [], fetched.ETag, fetched.LastModified, fetched.Error);
        }

        Uri.TryCreate(fetched.FinalLocation, UriKind.Absolute, out var baseUri);
        var limits = fetcher.ParseLimits with { Time = time };
        return Read(fetched.Body!, fetched.Charset, baseUri, time.GetUtcNow(), limits) with
        {
            ETag = fetched.ETag,
            LastModified = fetched.LastModified,
            DiscoveredFeedUrl = document.DiscoveredFrom is null ? null : document.Location,
        };
    }

    /// <summary>Parse and normalize a document already in memory; relative links resolve against <paramref name="baseUri"/>.</summary>
    public static IngestResult Read(byte[] body, string? httpCharset, Uri? baseUri, DateTimeOffset now, FeedParseLimits? limits = null)
    {
        var parsed = FeedParser.Parse(body, httpCharset, baseUri, limits);
        return parsed.Error is { } error
            ? new IngestResult(FetchStatus.Failed, null, [], null, null, error)
            : new IngestResult(FetchStatus.Ok, parsed.Title, ItemNormalizer.NormalizeAll(parsed.Items, baseUri, now), null, null, null);
    }

    /// <summary>
    /// Fetches a feed, or the web page at the address and then the feed it advertises (<c>&lt;link rel="alternate"&gt;</c>):
    /// an HTML page is followed wherever a feed is expected. The feed is fetched with the request's validators, so a
    /// page's feed is polled conditionally like any other.
    /// </summary>
    internal static async Task<FeedDocument> FetchAsync(FeedFetcher fetcher, FetchRequest request, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.FetchAsync(request, cancellationToken);
        if (fetched.Status != FetchStatus.Ok || !FeedDiscovery.IsHtml(fetched.MediaType, fetched.Body!))
        {
            return new FeedDocument(fetched, request.Location, null);
        }

        var page = fetched.FinalLocation;
        if (!Uri.TryCreate(page, UriKind.Absolute, out var pageUri) || FeedDiscovery.Find(fetched.Body!, pageUri) is not { } discovered)
        {
            return new FeedDocument(
                FetchResult.Fail(request.Location, "not a feed: a web page that advertises no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)"),
                request.Location,
                null);
        }

        var feed = await fetcher.FetchAsync(request with { Location = discovered.ToString() }, cancellationToken);
        if (feed.Status == FetchStatus.Failed)
        {
            feed = FetchResult.Fail(request.Location, SafeUrl.RedactIn($"the page points to the feed {discovered}, which failed: {feed.Error}"));
        }
        else if (feed.Status == FetchStatus.Ok && FeedDiscovery.IsHtml(feed.MediaType, feed.Body!))
        {
            feed = FetchResult.Fail(request.Location, SafeUrl.RedactIn($"the page points to {discovered}, which is another web page, not a feed"));
        }

        return new FeedDocument(feed, discovered.ToString(), page);
    }
}
