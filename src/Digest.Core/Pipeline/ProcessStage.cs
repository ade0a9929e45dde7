using Digest.Core.Classification;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Core.Stories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Pipeline;

/// <summary>
/// The process stage: classify the stored items and cluster the relevant ones into stories. It runs as a loop on every
/// worker, woken when this process stored items and sweeping every few seconds for items anybody stored (a crash, a
/// Ctrl-C or another worker's poll), so nothing stays unprocessed whoever stored it.
/// <para>
/// The clusterer is incremental and in memory, so passes are serialized across workers by the <c>pipeline</c> lease,
/// held only for database work and in-memory work: catch the clusterer up with what other workers clustered, read the
/// next batch (oldest published first), classify and cluster it in memory, and commit relevance, membership and each
/// touched story's new version in one transaction. The version marks the story due for the refresh stage, which does
/// everything that needs the network (article pages, the chat model) outside the lease.
/// </para>
/// </summary>
public sealed partial class ProcessStage(
    IItemStore itemStore,
    IStoryStore storyStore,
    ICommunityStore communityStore,
    ILeaseStore leaseStore,
    IRelevanceClassifier classifier,
    Func<IStoryClusterer> newClusterer,
    PipelineSignals signals,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<ProcessStage> logger)
{
    /// <summary>The lease that serializes passes across workers; a worker that dies mid-pass frees it after this.</summary>
    public static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How soon a worker tries again when another holds the lease. The holder goes on until nothing is left, so this is
    /// only for items stored just after its last look; every try is a write to the shared lease row.
    /// </summary>
    public static readonly TimeSpan LockRetry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a running worker lets a wake-up settle before a pass: with many feeds, polls store a few items each many
    /// times a second, and a pass per poll (a lease, half a dozen round trips, a commit) would cost more than the items.
    /// A burst of polls makes one pass instead.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>How often the loop looks for unprocessed items when nothing woke it.</summary>
    public static readonly TimeSpan Sweep = TimeSpan.FromSeconds(5);

    /// <summary>Items per pass: one commit, and the longest the lease is held for.</summary>
    public const int BatchSize = 500;

    public const string LockName = "pipeline";

    private readonly SemaphoreSlim gate = new(1, 1); // lives as long as the app; never disposed
    private readonly string holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Commits of this worker above <see cref="caughtUpTo"/>: their items are in the clusterer already.</summary>
    private readonly HashSet<long> ownCommits = [];

    /// <summary>Null until the first pass, and again after a failed one: the next pass rebuilds it from the store.</summary>
    private IStoryClusterer? clusterer;

    /// <summary>Every process commit up to this sequence is in the clusterer (-1: nothing loaded).</summary>
    private long caughtUpTo = -1;

    /// <summary>
    /// The stage's loop. With <paramref name="until"/> (a one-shot run) it returns once that task has completed and no
    /// unprocessed item is left, and a failure ends it; without, it runs until stopped and retries after a failure.
    /// </summary>
    public async Task RunAsync(Task? until, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var finished = until?.IsCompleted == true;
                signals.ItemsStored.Reset();
                int processed;
                try
                {
                    processed = await PassAsync(cancellationToken);
                }
                catch (Exception e) when (until is null && !cancellationToken.IsCancellationRequested)
                {
                    LogPassFailed(logger, e);
                    await Task.Delay(Sweep, time, cancellationToken);
                    continue;
                }

                if (processed == Busy)
                {
                    await Task.Delay(LockRetry, time, cancellationToken);
                }
                else if (processed == 0)
                {
                    if (finished)
                    {
                        return;
                    }

                    if (await signals.ItemsStored.WaitAsync(Sweep, time, cancellationToken) && until is null)
                    {
                        await Task.Delay(Settle, time, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            signals.StoriesChanged.Set();
        }
    }

    /// <summary>Processes until no unprocessed item is left; returns how many this worker processed.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var processed = await PassAsync(cancellationToken);
            if (processed == Busy)
            {
                await Task.Delay(LockRetry, time, cancellationToken);
            }
            else if (processed == 0)
            {
                return total;
            }
            else
            {
                total += processed;
            }
        }
    }

    private const int Busy = -1;

    /// <summary>One pass: the next batch, under the lease. Returns how many items it processed, or <see cref="Busy"/>.</summary>
    private async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!await leaseStore.TryAcquireLeaseAsync(LockName, holder, LockTtl, time.GetUtcNow(), cancellationToken))
            {
                return Busy;
            }

            try
            {
                var batch = await itemStore.GetUnprocessedAsync(BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    return 0;
                }

                var index = await CatchUpAsync(cancellationToken);
                var processed = await ProcessAsync(index, batch, cancellationToken);
                if (await storyStore.CommitProcessedAsync(processed, time.GetUtcNow(), cancellationToken) is not { } sequence)
                {
                    // Another worker processed some of these items (this one held the lease past its TTL): start afresh.
                    LogConflict(logger, batch.Count);
                    Forget();
                    return Busy;
                }

                ownCommits.Add(sequence);
                if (processed.Placements.Count > 0)
                {
                    signals.StoriesChanged.Set();
                }

                LogProcessed(logger, batch.Count, processed.Placements.Count, processed.NewStories.Count);
                return batch.Count;
            }
            catch
            {
                // The clusterer may hold stories that were never committed.
                Forget();
                throw;
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

    private void Forget()
    {
        clusterer = null;
        caughtUpTo = -1;
        ownCommits.Clear();
    }

    /// <summary>
    /// Classifies and clusters a batch in memory, in a fixed order — published, then key, then id — so the same items give
    /// the same stories whatever order they were stored in. Only starting a story reaches the store (for its id).
    /// </summary>
    private async Task<ProcessedBatch> ProcessAsync(IStoryClusterer index, IReadOnlyList<StoredItem> batch, CancellationToken cancellationToken)
    {
        var included = await communityStore.GetIncludePhrasesAsync(cancellationToken);
        var ordered = batch.OrderBy(i => i.Item.Published).ThenBy(i => i.Item.Key, StringComparer.Ordinal).ThenBy(i => i.Id).ToArray();

        // Classifying is pure and the costliest part: every core takes a share; clustering then goes in order.
        var relevance = new Relevance[ordered.Length];
        Parallel.For(0, ordered.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            relevance[i] = Rescue(classifier.Classify(new ClassifierInput(ordered[i].Item.Title, ordered[i].Item.Summary, ordered[i].FeedName)), ordered[i], included));

        var verdicts = new List<ItemVerdict>(ordered.Length);
        var newStories = new List<NewStory>();
        var placements = new List<StoryPlacement>();
        for (var i = 0; i < ordered.Length; i++)
        {
            var item = ordered[i];
            var verdict = relevance[i];
            verdicts.Add(new ItemVerdict(item.Id, verdict));
            if (!verdict.Relevant)
            {
                continue;
            }

            var document = new ClusterDocument(item.Id, item.Item.Title, item.Item.Summary, item.Item.Published);
            if (index.FindStory(document) is { } match)
            {
                placements.Add(new StoryPlacement(item.Id, match.StoryId, match.DuplicateOfItemId));
                index.Add(document, match.StoryId);
            }
            else
            {
                var storyId = await storyStore.ReserveStoryIdAsync(cancellationToken);
                newStories.Add(new NewStory(storyId, item.Item.Title, item.Item.Url, verdict.Score));
                placements.Add(new StoryPlacement(item.Id, storyId, null));
                index.Add(document, storyId);
            }
        }

        return new ProcessedBatch(verdicts, newStories, placements, []);
    }

    /// <summary>
    /// A moderator's <c>/topic include</c> phrase makes an item a story even when the classifier says no; its score stays
    /// the classifier's, so only the communities whose filter admits the phrase see it (see <see cref="TopicFilter"/>).
    /// </summary>
    private static Relevance Rescue(Relevance verdict, StoredItem item, IReadOnlyList<string> included)
    {
        if (verdict.Relevant || included.Count == 0)
        {
            return verdict;
        }

        var phrase = included.FirstOrDefault(p => TopicFilter.Mentions([item.Item.Title, item.Item.Summary], p));
        return phrase is null ? verdict : verdict with { Relevant = true, Reasons = [.. verdict.Reasons, $"included by a moderator: {phrase}"] };
    }

    /// <summary>
    /// Teaches the clusterer what other workers clustered since this one last looked (by commit sequence); the first time,
    /// every story of the warm-up window, so a restart keeps joining items to them.
    /// </summary>
    private async Task<IStoryClusterer> CatchUpAsync(CancellationToken cancellationToken)
    {
        var index = clusterer ??= newClusterer();
        var recent = await itemStore.GetClusteredAsync(caughtUpTo, time.GetUtcNow() - options.Value.ClusterWarmup, cancellationToken);
        foreach (var item in recent)
        {
            if (!ownCommits.Contains(item.Sequence))
            {
                index.Add(new ClusterDocument(item.ItemId, item.Title, item.Summary, item.Published), item.StoryId);
            }

            caughtUpTo = Math.Max(caughtUpTo, item.Sequence);
        }

        ownCommits.RemoveWhere(s => s <= caughtUpTo);
        return index;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processed {Items} items: {Placed} placed in stories, {NewStories} new stories")]
    private static partial void LogProcessed(ILogger logger, int items, int placed, int newStories);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Items} items were processed by another worker meanwhile (the pipeline lease outlived); rebuilding the story index")]
    private static partial void LogConflict(ILogger logger, int items);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing stored items failed; retrying at the next sweep")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
