using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Core.Stories;
using Digest.Core.Subscriptions;
using Digest.Core.Summarization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Pipeline;

/// <summary>
/// The refresh stage: brings each story whose version is ahead of its refreshed version up to date — title, score, tags,
/// key lines (with article pages and the optional chat model) — and records, in the same transaction, the alerts its new
/// items cause. Per story, outside any cluster-wide lock: a story is claimed (so two workers never refresh it at once; a
/// dead worker's claim expires), and the commit holds only if nobody committed that version meanwhile. A story is shown
/// in digests once it has been refreshed.
/// </summary>
internal sealed partial class RefreshStage(
    IItemStore itemStore,
    IStoryStore storyStore,
    ArticleTextFetcher articles,
    IKeyLineExtractor keyLines,
    AlertMatcher alerts,
    OutboxSignal signal,
    PipelineSignals signals,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<RefreshStage> logger)
{
    /// <summary>How long a claimed refresh may take before another worker may take the story over.</summary>
    public static readonly TimeSpan ClaimTtl = TimeSpan.FromMinutes(2);

    /// <summary>Stories whose last refresh here failed (<see cref="RefreshAsync"/>).</summary>
    private readonly HashSet<long> failedBefore = [];

    /// <summary>How often the loop looks for stories due when nothing woke it.</summary>
    public static readonly TimeSpan Sweep = TimeSpan.FromSeconds(5);

    /// <summary>Stories refreshed at once per worker: refreshes wait on article pages and the chat model.</summary>
    public const int Concurrency = 4;

    /// <summary>
    /// The revision of the key lines this build extracts. Raise it with a change to the key lines or to who said them
    /// that the stories already stored should get: at its first start the new build refreshes the
    /// <see cref="RequeuedOnRevision"/> most recently seen stories again (without alerts, and without bringing them back
    /// into digests), so what members read is not the old build's until each story happens to grow.
    /// </summary>
    public const int KeyLinesRevision = 8;

    /// <summary>How many of the latest stories a new <see cref="KeyLinesRevision"/> refreshes: more than any digest, page or <c>once</c> shows.</summary>
    public const int RequeuedOnRevision = 500;

    private readonly string claimer = LocalProcess.NewHolderId();

    /// <summary>
    /// The stage's loop. With <paramref name="until"/> (a one-shot run) it returns once that task has completed and no
    /// story is due; without, it runs until stopped.
    /// </summary>
    public async Task RunAsync(Task? until, CancellationToken cancellationToken)
    {
        await RequeueOutdatedKeyLinesAsync(cancellationToken);
        var inFlight = new List<Task>();
        try
        {
            while (true)
            {
                var finished = until?.IsCompleted == true;
                signals.StoriesChanged.Reset();
                while (inFlight.Count < Concurrency && await ClaimAsync(until is null, cancellationToken) is { } claim)
                {
                    inFlight.Add(RefreshAsync(claim, cancellationToken));
                }

                if (inFlight.Count > 0)
                {
                    var done = await Task.WhenAny(inFlight);
                    inFlight.Remove(done);
                    await done;
                    continue;
                }

                if (finished)
                {
                    return;
                }

                await signals.StoriesChanged.WaitAsync(Sweep, time, cancellationToken);
            }
        }
        finally
        {
            await Task.WhenAll(inFlight).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>A failure here costs only fresher key lines: it is logged, and the next start tries again.</summary>
    private async Task RequeueOutdatedKeyLinesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queued = await storyStore.RequeueKeyLinesAsync(KeyLinesRevision, RequeuedOnRevision, cancellationToken);
            if (queued > 0)
            {
                LogRequeued(logger, queued, KeyLinesRevision);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogRequeueFailed(logger, e);
        }
    }

    private async Task<StoryClaim?> ClaimAsync(bool keepGoing, CancellationToken cancellationToken)
    {
        try
        {
            return await storyStore.ClaimRefreshAsync(claimer, ClaimTtl, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (keepGoing && !cancellationToken.IsCancellationRequested)
        {
            LogClaimFailed(logger, e);
            return null;
        }
    }

    /// <summary>
    /// Refreshes one claimed story. A first failure gives the claim back, so the story is tried again at once (a chat
    /// model that went away, a busy database); a story that fails again keeps its claim until it expires, so it is tried
    /// once per <see cref="ClaimTtl"/> instead of in a loop that would hold a refresh slot (and keep <c>once</c> from
    /// finishing) while the other stories wait.
    /// </summary>
    internal async Task RefreshAsync(StoryClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            var refreshed = await RefreshCoreAsync(claim, cancellationToken);
            lock (failedBefore)
            {
                failedBefore.Remove(claim.StoryId);
            }

            if (refreshed is { Count: > 0 } channels)
            {
                WakeChannels(channels);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(logger, claim.StoryId, e);
            bool first;
            lock (failedBefore)
            {
                first = failedBefore.Add(claim.StoryId);
            }

            if (first)
            {
                await storyStore.ReleaseRefreshAsync(claim.StoryId, claimer, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the claim is given back so another worker (or the next start) refreshes the story at once.
            await storyStore.ReleaseRefreshAsync(claim.StoryId, claimer, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Computes and commits the refresh; returns the channels that got alerts, or null when it did not commit.</summary>
    private async Task<IReadOnlyList<long>?> RefreshCoreAsync(StoryClaim claim, CancellationToken cancellationToken)
    {
        // Items that joined after the version claimed belong to the next refresh.
        var members = (await itemStore.GetStoryItemsAsync(claim.StoryId, cancellationToken)).Where(m => m.JoinedVersion <= claim.Version).ToList();
        if (members.Count == 0)
        {
            await storyStore.ReleaseRefreshAsync(claim.StoryId, claimer, cancellationToken);
            return null;
        }

        var lead = StoryTitles.MostRepresentative(members);
        var score = members.Max(m => m.Relevance?.Score ?? 0);
        var tags = members.SelectMany(m => m.Relevance?.Tags ?? []).GroupBy(t => t).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();

        // One text per outlet; the article page replaces a teaser where the feed gave only that. An article an outlet runs
        // in several feeds is one source of the story, but each feed's text of it goes to the key lines: one may carry
        // the whole article and the other a teaser.
        var outlets = members.OrderBy(m => m.Item.Published).ThenBy(m => m.Id).DistinctBy(m => m.FeedId).ToList();
        var sources = await articles.GetSourcesAsync(outlets, cancellationToken);
        var lines = await keyLines.ExtractAsync(sources, options.Value.KeyLines, cancellationToken);

        var now = time.GetUtcNow();
        var newItems = members.Where(m => m.JoinedVersion > claim.RefreshedVersion).ToList();
        var story = new StoryRecord(
            claim.StoryId,
            StoryTitles.Shown(lead.Item.Title),
            lead.Item.Url,
            score,
            tags,
            outlets.DistinctBy(m => StorySource.ArticleKey(m.Item.Url, m.Id)).Select(m => new StorySource(m.FeedName, m.Item.Url)).ToList(),
            lines,
            claim.FirstSeen,
            now,
            members.Max(m => m.Item.Published),
            members.DistinctBy(m => StorySource.ArticleKey(m.Item.Url, m.Id)).Count());
        // A story refreshed before is an update: its alerts say what changed since (the new outlets, the new key lines).
        var previous = claim.RefreshedVersion > 0 ? await storyStore.GetStoryAsync(claim.StoryId, cancellationToken) : null;
        var update = previous is null
            ? null
            : StoryUpdate.Between(new SentStory(previous.Id, previous.Sources.Select(s => s.Name).ToList(), previous.KeyLines.Select(k => k.Text).ToList()), story.Sources, lines);
        var messages = await alerts.MatchAsync(story, newItems, update, now, cancellationToken);
        var fresh = newItems.Where(m => !m.IsBacklog).ToList();
        var refresh = new StoryRefresh(claim.StoryId, claim.Version, story.Title, story.Url, score, tags, lines, HasNewItems: newItems.Count > 0)
        {
            FreshPublished = fresh.Count > 0 ? fresh.Max(m => m.Item.Published) : null,
        };
        if (!await storyStore.CommitRefreshAsync(refresh, messages, claimer, now, cancellationToken))
        {
            LogSuperseded(logger, claim.StoryId, claim.Version);
            return null;
        }

        LogRefreshed(logger, claim.StoryId, claim.Version, newItems.Count, messages.Count);
        return messages.Select(m => m.ChannelId).Distinct().ToList();
    }

    /// <summary>Alerts are committed; waking their channels now only saves the outbox sweep's wait.</summary>
    private void WakeChannels(IReadOnlyList<long> channelIds)
    {
        foreach (var channelId in channelIds)
        {
            signal.Wake(channelId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Story {StoryId} refreshed at version {Version}: {NewItems} new items, {Alerts} alerts")]
    private static partial void LogRefreshed(ILogger logger, long storyId, int version, int newItems, int alerts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Story {StoryId} version {Version} was refreshed by another worker first")]
    private static partial void LogSuperseded(ILogger logger, long storyId, int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing story {StoryId} failed; it is tried again")]
    private static partial void LogRefreshFailed(ILogger logger, long storyId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key lines are extracted differently since the last start: the latest {Stories} stories are refreshed again (revision {Revision})")]
    private static partial void LogRequeued(ILogger logger, int stories, int revision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queuing the latest stories for new key lines failed; they keep their key lines until the next start")]
    private static partial void LogRequeueFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for stories to refresh failed; retrying at the next sweep")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);
}
