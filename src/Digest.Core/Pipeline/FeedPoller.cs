using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Pipeline;

/// <summary>What one poll of one feed did: how many items the feed had, how many were new and stored.</summary>
internal sealed record PollReport(FeedRecord Feed, FetchStatus Status, int Found, int Stored, string? Error);

/// <summary>
/// The fetch and store stages for one feed: fetch (conditional), parse, normalize, then store what is new together with
/// the poll's outcome — one transaction, so the validators of the next conditional request are never kept without the
/// items they cover. Then the process stage is woken; it finds the items in the store whoever stored them. Records the
/// feed's health with exponential backoff and a pause after repeated failures. Never throws for a bad feed.
/// </summary>
internal sealed partial class FeedPoller(
    FeedFetcher fetcher,
    IFeedStore feedStore,
    IItemStore itemStore,
    PipelineSignals signals,
    IOptions<FeedsOptions> options,
    TimeProvider time,
    ILogger<FeedPoller> logger)
{
    public async Task<PollReport> PollAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        try
        {
            return await PollOnceAsync(feed, cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Whatever a feed did to us, it is that feed's failure: recorded, backed off, shown in status — never the job's.
            var shownUrl = SafeUrl.Redact(feed.Url);
            LogCrashed(logger, e, shownUrl);
            return await RecordFailureAsync(feed, $"internal error while reading the feed: {e.GetType().Name}: {e.Message}", time.GetUtcNow(), cancellationToken);
        }
    }

    private async Task<PollReport> PollOnceAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        var read = await FeedIngest.ReadAsync(fetcher, new FetchRequest(feed.Url, feed.ETag, feed.LastModified), time, cancellationToken);
        var now = time.GetUtcNow();
        var shownUrl = SafeUrl.Redact(feed.Url);
        switch (read.Status)
        {
            case FetchStatus.NotModified:
                await feedStore.RecordPollAsync(feed.Id, Success(feed, read.ETag, read.LastModified, now), cancellationToken);
                LogNotModified(logger, shownUrl);
                return new PollReport(feed, FetchStatus.NotModified, 0, 0, null);
            case FetchStatus.Failed:
                return await RecordFailureAsync(feed, read.Error ?? "unknown error", now, cancellationToken);
        }

        // A feed nobody named is called by its own title once we have read it.
        if (feed.Name == FeedCatalog.NameFor(feed.Url) && HtmlText.ToPlainText(read.Title) is { Length: > 0 } title)
        {
            feed = await feedStore.UpsertFeedAsync(feed.Url, title, title, feed.Interval, cancellationToken);
        }

        // A feed's first poll is its backlog: stored and searchable, never alerted on.
        var stored = await itemStore.StorePollAsync(feed.Id, read.Items, isBacklog: !feed.BacklogStored, Success(feed, read.ETag, read.LastModified, now), cancellationToken);
        if (stored > 0)
        {
            signals.ItemsStored.Set();
        }

        LogPolled(logger, shownUrl, read.Items.Count, stored);
        return new PollReport(feed, FetchStatus.Ok, read.Items.Count, stored, null);
    }

    private static FeedPollOutcome Success(FeedRecord feed, string? etag, string? lastModified, DateTimeOffset now) =>
        new(now, true, etag, lastModified, null, 0, now + feed.Interval, null);

    private async Task<PollReport> RecordFailureAsync(FeedRecord feed, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        error = SafeUrl.RedactIn(error);
        var shownUrl = SafeUrl.Redact(feed.Url);
        var failures = feed.ConsecutiveFailures + 1;
        var settings = options.Value;
        var backoff = Backoff.Exponential(settings.BackoffBase, failures, settings.BackoffMax);
        var next = now + (backoff > feed.Interval ? backoff : feed.Interval);
        var paused = failures >= settings.PauseAfterFailures ? $"paused after {failures} failures in a row; last: {error}" : null;
        await feedStore.RecordPollAsync(feed.Id, new FeedPollOutcome(now, false, feed.ETag, feed.LastModified, error, failures, next, paused), cancellationToken);
        LogFailed(logger, shownUrl, failures, error);
        return new PollReport(feed, FetchStatus.Failed, 0, 0, error);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading {FeedUrl} threw; recorded as the feed's failure")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string feedUrl);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{FeedUrl} not modified")]
    private static partial void LogNotModified(ILogger logger, string feedUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FeedUrl}: {Found} items, {New} new")]
    private static partial void LogPolled(ILogger logger, string feedUrl, int found, int @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl} failed ({Failures} in a row): {Error}")]
    private static partial void LogFailed(ILogger logger, string feedUrl, int failures, string error);
}
