using Digest.Core.Classification;
using Digest.Core.Digests;
using Digest.Core.Leasing;
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
/// Each pass re-clusters the recent window (<see cref="StoryWindowClusterer"/>): the committed items within the
/// clusterer's reach of the batch, pinned to their stories, with the batch's relevant items; a new item goes to the story
/// its cluster grew from, or starts one. Passes are serialized across workers by the <c>pipeline</c> lease, held only
/// for database work and in-memory work: catch the window up with what every worker committed, read the next batch
/// (oldest published first), classify and cluster it in memory, and commit relevance, membership, merges and each
/// touched story's new version in one transaction. The version marks the story due for the refresh stage, which does
/// everything that needs the network (article pages, the chat model) outside the lease.
/// </para>
/// </summary>
internal sealed partial class ProcessStage(
    IItemStore itemStore,
    IStoryStore storyStore,
    ICommunityStore communityStore,
    ILeaseStore leaseStore,
    IRelevanceClassifier classifier,
    StoryWindowClusterer clusterer,
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
    private readonly string holder = LocalProcess.NewHolderId();

    /// <summary>
    /// The committed items of the recent window with their stories, by item id. Emptied after a failed pass: the next
    /// pass reloads it from the store.
    /// </summary>
    private readonly Dictionary<long, (StoryDocument Document, long StoryId)> window = [];

    /// <summary>The articles placed in stories, by canonical URL and headline: emptied with the window.</summary>
    private ArticleIndex articles = new();

    /// <summary>Every process commit up to this sequence is in <see cref="window"/> (-1: nothing loaded).</summary>
    private long caughtUpTo = -1;

    /// <summary>Whether the missing sentence-embedding model was logged: once per process is enough.</summary>
    private bool warnedNoEmbeddings;

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
            if (!await leaseStore.TryAcquireOrTakeOverAsync(LockName, holder, LockTtl, time.GetUtcNow(), cancellationToken))
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

                await CatchUpAsync(cancellationToken);
                var processed = await ProcessOrSetAsideAsync(batch, cancellationToken);
                if (await storyStore.CommitProcessedAsync(processed, time.GetUtcNow(), cancellationToken) is null)
                {
                    // Another worker processed some of these items (this one held the lease past its TTL): start afresh.
                    LogConflict(logger, batch.Count);
                    Forget();
                    return Busy;
                }

                if (processed.Placements.Count > 0)
                {
                    signals.StoriesChanged.Set();
                }

                LogProcessed(logger, batch.Count, processed.Placements.Count, processed.NewStories.Count);
                return batch.Count;
            }
            catch
            {
                // The window may be behind what was committed.
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

    /// <summary>
    /// Processes the batch; when that fails, looks for the items that fail on their own — classified, then clustered
    /// alone against the window, all in memory — and sets them aside as not on topic with the reason (logged), so one
    /// item that trips a bug never holds up every item stored after it. A failure no item causes alone (the database,
    /// say) is thrown as before and the batch is tried again at the next sweep.
    /// </summary>
    private async Task<ProcessedBatch> ProcessOrSetAsideAsync(IReadOnlyList<StoredItem> batch, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessAsync(batch, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            var failing = new List<(StoredItem Item, Exception Error)>();
            foreach (var item in batch)
            {
                if (FailsAlone(item, cancellationToken) is { } error)
                {
                    failing.Add((item, error));
                }
            }

            if (failing.Count == 0)
            {
                throw;
            }

            foreach (var (item, error) in failing)
            {
                LogSetAside(logger, error, item.Id, item.FeedName, item.Item.Title);
            }

            // The failed attempt may have indexed some of the batch's articles: start from what is committed.
            Forget();
            await CatchUpAsync(cancellationToken);
            var failed = failing.Select(f => f.Item.Id).ToHashSet();
            var rest = batch.Where(i => !failed.Contains(i.Id)).ToList();
            var processed = rest.Count > 0 ? await ProcessAsync(rest, cancellationToken) : ProcessedBatch.Empty;
            return processed with
            {
                Verdicts = [.. processed.Verdicts, .. failing.Select(f => new ItemVerdict(f.Item.Id, new Relevance(false, 0, [], [$"could not be processed: {f.Error.Message}"])))],
            };
        }
    }

    private Exception? FailsAlone(StoredItem item, CancellationToken cancellationToken)
    {
        try
        {
            var verdict = classifier.Classify(Input(item));
            if (verdict.Relevant || verdict.Borderline)
            {
                _ = clusterer.Pass([Document(item)], window.Values, cancellationToken);
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e;
        }
    }

    /// <summary>What the classifier reads of a stored item.</summary>
    private static ClassifierInput Input(StoredItem item) => new(item.Item.Title, item.Item.Summary, item.FeedName);

    /// <summary>What the clusterer reads of a stored item.</summary>
    private static StoryDocument Document(StoredItem item) =>
        new(item.Id, item.Item.Key, item.Item.Title, EventFeatureExtractor.SummaryLead(item.Item.Summary), item.FeedName, item.Item.Published);

    private void Forget()
    {
        window.Clear();
        articles = new ArticleIndex();
        caughtUpTo = -1;
    }

    /// <summary>
    /// Classifies a batch and clusters its relevant items with the committed items within reach, in memory and in a fixed
    /// order — published, then key, then id — so the same items give the same stories whatever order they were stored in.
    /// The stories the batch joins are read again as wholes, so their committed items may split off or move to another
    /// story, and committed stories the batch shows to be one event are merged; only starting a story reaches the store
    /// (for its id).
    /// </summary>
    private async Task<ProcessedBatch> ProcessAsync(IReadOnlyList<StoredItem> batch, CancellationToken cancellationToken)
    {
        var included = await communityStore.GetIncludePhrasesAsync(cancellationToken);
        var excluded = await communityStore.GetExcludePhrasesAsync(cancellationToken);
        var ordered = batch.OrderBy(i => i.Item.Published).ThenBy(i => i.Item.Key, StringComparer.Ordinal).ThenBy(i => i.Id).ToArray();

        // Classifying is pure and the costliest part: every core takes a share; clustering then goes in order.
        var relevance = new Relevance[ordered.Length];
        Parallel.For(0, ordered.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            relevance[i] = Rescue(classifier.Classify(Input(ordered[i])), ordered[i], included));

        var verdicts = ordered.Select((item, i) => new ItemVerdict(item.Id, relevance[i])).ToList();
        var fresh = ordered.Select((item, i) => (Item: item, Verdict: relevance[i])).Where(x => x.Verdict.Relevant)
            .ToDictionary(x => x.Item.Id, x => x);
        // Story-level relevance: a borderline item is clustered with the others and becomes relevant if it joins a story
        // that is (one with a relevant item), unless a moderator's exclude phrase names it.
        var borderline = ordered.Select((item, i) => (Item: item, Verdict: relevance[i]))
            .Where(x => x.Verdict.Borderline && !excluded.Any(p => TopicFilter.Mentions([x.Item.Item.Title, x.Item.Item.Summary], p)))
            .ToDictionary(x => x.Item.Id, x => x);
        if (fresh.Count == 0 && borderline.Count == 0)
        {
            return new ProcessedBatch(verdicts, [], [], []);
        }

        var position = verdicts.Select((v, i) => (v.ItemId, i)).ToDictionary(x => x.ItemId, x => x.i);
        void Promote(long id, long storyId, string title)
        {
            var verdict = borderline[id].Verdict;
            verdicts[position[id]] = new ItemVerdict(id, verdict with { Relevant = true, Borderline = false, Reasons = [.. verdict.Reasons, $"joins story {storyId}: {title}"] });
            fresh[id] = (borderline[id].Item, verdicts[position[id]].Relevance);
        }

        // The same article from another feed (or again from this one) is another source of its story, never a new one.
        var newStories = new List<NewStory>();
        var placements = new List<StoryPlacement>();
        var merges = new List<StoryMerge>();
        foreach (var (id, x) in fresh.Concat(borderline).ToList())
        {
            if (articles.Find(x.Item.Item.Url, x.Item.Item.Title, x.Item.Item.Published) is { } known)
            {
                if (borderline.ContainsKey(id))
                {
                    Promote(id, known.StoryId, window.TryGetValue(known.ItemId, out var w) ? EventFeatureExtractor.TitleOf(w.Document) : x.Item.Item.Title);
                    borderline.Remove(id);
                }

                placements.Add(new StoryPlacement(id, known.StoryId, known.ItemId));
                fresh.Remove(id);
            }
        }

        if (fresh.Count == 0 && borderline.Count == 0)
        {
            return new ProcessedBatch(verdicts, newStories, placements, merges);
        }

        var documents = fresh.Values.Concat(borderline.Values).Select(x => Document(x.Item)).ToList();
        var (reconciliation, current) = clusterer.Pass(documents, window.Values, cancellationToken);
        if (clusterer.EmbeddingError is { } error && !warnedNoEmbeddings)
        {
            warnedNoEmbeddings = true;
            LogNoEmbeddings(logger, error);
        }

        foreach (var story in reconciliation.Stories)
        {
            // A story of borderline items alone is no story: they stay out.
            var relevantFirst = story.ItemIds.FirstOrDefault(id => fresh.ContainsKey(id) || current.ContainsKey(id));
            var joinsRelevant = story.StoryId is not null || relevantFirst != 0;
            var joining = story.ItemIds.Where(id => fresh.ContainsKey(id) || (joinsRelevant && borderline.ContainsKey(id))).ToList();
            var moving = story.MovedIn(current).ToList();
            if (joining.Count == 0 && moving.Count == 0 && story.Absorbed.Count == 0)
            {
                continue;
            }

            var starter = story.ItemIds.FirstOrDefault(fresh.ContainsKey);
            var storyId = story.StoryId ?? (starter != 0
                ? await StartStoryAsync(fresh[starter].Item.Item.Title, fresh[starter].Item.Item.Url, fresh[starter].Verdict.Score)
                : await StartStoryAsync(EventFeatureExtractor.TitleOf(window[moving[0]].Document), "", 0));
            var title = current.ContainsKey(relevantFirst) && window.TryGetValue(relevantFirst, out var first)
                ? EventFeatureExtractor.TitleOf(first.Document)
                : fresh.TryGetValue(relevantFirst, out var firstFresh) ? firstFresh.Item.Item.Title : "";
            foreach (var id in joining.Where(borderline.ContainsKey))
            {
                Promote(id, storyId, title);
            }

            placements.AddRange(joining.Concat(moving).Select(id => new StoryPlacement(id, storyId, story.DuplicateOf.TryGetValue(id, out var original) ? original : null)));
            foreach (var id in joining)
            {
                var item = fresh[id].Item.Item;
                articles.Add(item.Url, item.Title, item.Published, new KnownArticle(storyId, id));
            }

            merges.AddRange(story.Absorbed.Select(absorbed => new StoryMerge(absorbed, storyId)));
        }

        return new ProcessedBatch(verdicts, newStories, placements, merges);

        // Title, link and score stand until the story's first refresh, which sets them from all its members.
        async Task<long> StartStoryAsync(string title, string url, double score)
        {
            var storyId = await storyStore.ReserveStoryIdAsync(cancellationToken);
            newStories.Add(new NewStory(storyId, title, url, score));
            return storyId;
        }
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
    /// Brings the window up to date with every process commit since the last look (this worker's, other workers', and
    /// merges, which move a story's items); the first time, every clustered item of the warm-up period, so a restart
    /// keeps joining items to their stories. Items older than the warm-up behind the newest are forgotten.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var recent = await itemStore.GetClusteredAsync(caughtUpTo, time.GetUtcNow() - options.Value.ClusterWarmup, cancellationToken);
        foreach (var item in recent)
        {
            window[item.ItemId] = (new StoryDocument(item.ItemId, item.Key, item.Title, EventFeatureExtractor.SummaryLead(item.Summary), item.FeedName, item.Published), item.StoryId);
            articles.Add(item.Url, item.Title, item.Published, new KnownArticle(item.StoryId, item.ItemId));
            caughtUpTo = Math.Max(caughtUpTo, item.Sequence);
        }

        if (recent.Count > 0)
        {
            var horizon = window.Values.Max(w => w.Document.Published) - options.Value.ClusterWarmup;
            foreach (var id in window.Where(w => w.Value.Document.Published < horizon).Select(w => w.Key).ToList())
            {
                window.Remove(id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processed {Items} items: {Placed} placed in stories, {NewStories} new stories")]
    private static partial void LogProcessed(ILogger logger, int items, int placed, int newStories);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Items} items were processed by another worker meanwhile (the pipeline lease outlived); rebuilding the story index")]
    private static partial void LogConflict(ILogger logger, int items);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sentence embeddings are unavailable ({Reason}); stories are clustered on their words, names, venues and times")]
    private static partial void LogNoEmbeddings(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Item {ItemId} of {Feed} (\"{Title}\") cannot be processed; set aside as not on topic, the others go on")]
    private static partial void LogSetAside(ILogger logger, Exception exception, long itemId, string feed, string title);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing stored items failed; retrying at the next sweep")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
