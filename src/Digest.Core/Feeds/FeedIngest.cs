using Digest.Core.Items;

namespace Digest.Core.Feeds;

/// <summary>What reading a feed gave: its items, the validators for the next conditional request, or the reason it failed.</summary>
public sealed record IngestResult(FetchStatus Status, string? Title, IReadOnlyList<Item> Items, string? ETag, string? LastModified, string? Error);

/// <summary>The first three stages for one feed: fetch (conditional), parse, normalize. Never throws for a bad feed.</summary>
public static class FeedIngest
{
    public static async Task<IngestResult> ReadAsync(FeedFetcher fetcher, FetchRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.FetchAsync(request, cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return new IngestResult(fetched.Status, null, [], fetched.ETag, fetched.LastModified, fetched.Error);
        }

        Uri.TryCreate(fetched.FinalLocation, UriKind.Absolute, out var baseUri);
        return Read(fetched.Body!, fetched.Charset, baseUri, time.GetUtcNow()) with { ETag = fetched.ETag, LastModified = fetched.LastModified };
    }

    /// <summary>Parse and normalize a document already in memory; relative links resolve against <paramref name="baseUri"/>.</summary>
    public static IngestResult Read(byte[] body, string? httpCharset, Uri? baseUri, DateTimeOffset now, FeedParseLimits? limits = null)
    {
        var parsed = FeedParser.Parse(body, httpCharset, baseUri, limits);
        return parsed.Error is { } error
            ? new IngestResult(FetchStatus.Failed, null, [], null, null, error)
            : new IngestResult(FetchStatus.Ok, parsed.Title, ItemNormalizer.NormalizeAll(parsed.Items, baseUri, now), null, null, null);
    }
}
