using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Core.Storage;
using Digest.Core.Summarization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Pipeline;

/// <summary>A story that gained items in one pass of the pipeline.</summary>
public sealed record StoryUpdate(long StoryId, bool IsNew, IReadOnlyList<StoredItem> NewItems);

/// <summary>Told about stories as the pipeline builds them; alerts listen here.</summary>
public interface IStoryObserver
{
    Task OnStoriesUpdatedAsync(IReadOnlyList<StoryUpdate> updates, CancellationToken cancellationToken);
}

/// <summary>
/// What happens to new items after they are stored: classify, cluster the relevant ones into stories, and refresh each
/// touched story's title, score, tags and key lines. One pass at a time across all workers (the <c>pipeline</c> lease),
/// because the clusterer is incremental and in memory: each pass first teaches it what other workers clustered since.
/// </summary>
public sealed partial class ItemPipeline(
    IItemStore itemStore,
    IStoryStore storyStore,
    ICommunityStore communityStore,
    ILeaseStore leaseStore,
    IRelevanceClassifier classifier,
    IStoryClusterer clusterer,
    IKeyLineExtractor keyLines,
    ArticleTextFetcher articles,
    IEnumerable<IStoryObserver> observers,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<ItemPipeline> logger)
{
    /// <summary>The database lock that serializes passes across workers; a worker that dies mid-pass frees it after this.</summary>
    public static readonly TimeSpan LockTtl = TimeSpan.FromMinutes(1);

    /// <summary>How often a worker waiting for the lock tries again.</summary>
    public static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(250);

    private const string LockName = "pipeline";

    private readonly SemaphoreSlim gate = new(1, 1); // lives as long as the app; never disposed
    private readonly string holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Every item in a story with an id up to this one is in the clusterer (0: nothing loaded yet).</summary>
    private long caughtUpTo;

    /// <summary>Items above <see cref="caughtUpTo"/> already in the clusterer, so a catch-up does not add them twice.</summary>
    private readonly HashSet<long> clustered = [];

    private DateTimeOffset lockRenewedAt;

    public async Task ProcessAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await AcquireLockAsync(cancellationToken);
            try
            {
                await PassAsync(items, cancellationToken);
            }
            finally
            {
                await leaseStore.ReleaseLeaseAsync(LockName, holder, CancellationToken.None);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// A moderator's <c>/topic include</c> phrase makes an item a story even when the classifier says no; its score stays
    /// the classifier's, so only the communities whose filter admits the phrase see it (see <see cref="Digests.TopicFilter"/>).
    /// </summary>
    private static Relevance Rescue(Relevance verdict, StoredItem item, IReadOnlyList<string> included)
    {
        if (verdict.Relevant || included.Count == 0)
        {
            return verdict;
        }

        var phrase = included.FirstOrDefault(p => Digests.TopicFilter.Mentions([item.Item.Title, item.Item.Summary], p));
        return phrase is null ? verdict : verdict with { Relevant = true, Reasons = [.. verdict.Reasons, $"included by a moderator: {phrase}"] };
    }

    /// <summary>One pass, run while this worker holds the pipeline lock: no other worker clusters meanwhile.</summary>
    private async Task PassAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        var included = await communityStore.GetIncludePhrasesAsync(cancellationToken);
        var touched = new Dictionary<long, (bool IsNew, List<StoredItem> Items)>();
        foreach (var item in items.OrderBy(i => i.Item.Published))
        {
            var verdict = Rescue(classifier.Classify(new ClassifierInput(item.Item.Title, item.Item.Summary, item.FeedName)), item, included);
            await itemStore.SetRelevanceAsync(item.Id, verdict, cancellationToken);
            if (!verdict.Relevant)
            {
                continue;
            }

            var document = new ClusterDocument(item.Id, item.Item.Title, item.Item.Summary, item.Item.Published);
            var match = clusterer.FindStory(document);
            long storyId;
            bool isNew;
            var classified = item with { Relevance = verdict };
            if (match is null)
            {
                storyId = await storyStore.CreateStoryAsync(classified, time.GetUtcNow(), cancellationToken);
                isNew = true;
            }
            else
            {
                storyId = match.StoryId;
                isNew = false;
                await storyStore.AttachToStoryAsync(item.Id, storyId, match.DuplicateOfItemId, time.GetUtcNow(), cancellationToken);
            }

            clusterer.Add(document, storyId);
            clustered.Add(item.Id);
            await RenewLockAsync(cancellationToken);
            if (!touched.TryGetValue(storyId, out var entry))
            {
                entry = (isNew, []);
                touched[storyId] = entry;
            }

            entry.Items.Add(classified with { StoryId = storyId });
        }

        await SettleAsync(cancellationToken);
        foreach (var storyId in touched.Keys)
        {
            await RefreshStoryAsync(storyId, cancellationToken);
            await RenewLockAsync(cancellationToken);
        }

        if (touched.Count > 0)
        {
            var updates = touched.Select(t => new StoryUpdate(t.Key, t.Value.IsNew, t.Value.Items)).ToList();
            foreach (var observer in observers)
            {
                await observer.OnStoriesUpdatedAsync(updates, cancellationToken);
            }
        }

        LogProcessed(logger, items.Count, touched.Count);
    }

    /// <summary>Recomputes a story from its items: the most representative title, the best score, the union of tags, fresh key lines.</summary>
    public async Task RefreshStoryAsync(long storyId, CancellationToken cancellationToken)
    {
        var members = await itemStore.GetStoryItemsAsync(storyId, cancellationToken);
        if (members.Count == 0)
        {
            return;
        }

        var lead = StoryTitles.MostRepresentative(members);
        var score = members.Max(m => m.Relevance?.Score ?? 0);
        var tags = members.SelectMany(m => m.Relevance?.Tags ?? []).GroupBy(t => t).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        // One text per outlet; the article page replaces a teaser where the feed gave only that.
        var sources = await articles.GetSourcesAsync(members.OrderBy(m => m.Item.Published).DistinctBy(m => m.FeedId).ToList(), cancellationToken);
        var lines = await keyLines.ExtractAsync(sources, options.Value.KeyLines, cancellationToken);
        await storyStore.UpdateStoryAsync(storyId, lead.Item.Title, lead.Item.Url, score, tags, lines, cancellationToken);
    }

    private async Task AcquireLockAsync(CancellationToken cancellationToken)
    {
        while (!await leaseStore.TryAcquireLeaseAsync(LockName, holder, LockTtl, time.GetUtcNow(), cancellationToken))
        {
            await Task.Delay(LockRetry, time, cancellationToken);
        }

        lockRenewedAt = time.GetUtcNow();
    }

    /// <summary>Extends the lock now and then during a long pass (article pages are fetched for every touched story).</summary>
    private async Task RenewLockAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - lockRenewedAt < LockTtl / 4)
        {
            return;
        }

        if (!await leaseStore.RenewLeaseAsync(LockName, holder, LockTtl, now, cancellationToken))
        {
            LogLockLost(logger, holder);
        }

        lockRenewedAt = now;
    }

    /// <summary>
    /// Teaches the clusterer what other workers clustered since this one last looked; the first time, every story of the
    /// warm-up window, so a restart keeps joining items to them.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var recent = await itemStore.GetClusteredItemsAsync(caughtUpTo, time.GetUtcNow() - options.Value.ClusterWarmup, cancellationToken);
        foreach (var item in recent.Where(i => clustered.Add(i.Id)))
        {
            clusterer.Add(new ClusterDocument(item.Id, item.Item.Title, item.Item.Summary, item.Item.Published), item.StoryId!.Value);
        }
    }

    /// <summary>
    /// Moves <see cref="caughtUpTo"/> past the items that can no longer join a story. Ids are taken when items are stored,
    /// before their pass: an item still unclassified (waiting for another worker's pass) may join a story later with an id
    /// below ones already clustered, so the mark stops below the oldest such item.
    /// </summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        var settled = clustered.Count == 0 ? caughtUpTo : Math.Max(caughtUpTo, clustered.Max());
        if (await itemStore.GetUnclassifiedAsync(1, cancellationToken) is [var pending])
        {
            settled = Math.Min(settled, pending.Id - 1);
        }

        caughtUpTo = Math.Max(caughtUpTo, settled);
        clustered.RemoveWhere(id => id <= caughtUpTo);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline lock lost by {Holder} mid-pass (held past its TTL); another worker may be clustering too")]
    private static partial void LogLockLost(ILogger logger, string holder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processed {Items} new items, {Stories} stories touched")]
    private static partial void LogProcessed(ILogger logger, int items, int stories);
}
