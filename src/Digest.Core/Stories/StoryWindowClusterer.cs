namespace Digest.Core.Stories;

/// <summary>
/// Clusters a window of documents with cached per-item features: each item's features (and embedding) are computed
/// once, the first time the item is in a window, and forgotten when it leaves. Not thread-safe: the caller holds one
/// lock around a pass.
/// </summary>
internal sealed class StoryWindowClusterer(EventFeatureExtractor extractor, EventClusterer clusterer, ITextEmbedder? embedder = null)
{
    private readonly Dictionary<long, EventFeatures> cache = [];

    /// <summary>
    /// The ids of the last window, emptied and filled again by each: at 10,000 feeds a window's set is a large object,
    /// and one grown afresh per pass stayed on the large-object heap, dead, until the next full collection.
    /// </summary>
    private readonly HashSet<long> inWindow = [];

    /// <summary>How far apart in time two items can still affect each other's story (<see cref="EventClusterer.Reach"/>).</summary>
    public TimeSpan Reach => clusterer.Reach;

    /// <summary>Why the last pass had to go without embeddings for its new items (null when it did not): for the caller to log.</summary>
    public string? EmbeddingError { get; private set; }

    /// <summary>
    /// One process pass, as the pipeline makes it and <c>eval cluster</c> replays it: the batch's new documents with the
    /// committed items within <see cref="Reach"/> of them, those pinned to their stories, clustered and mapped onto the
    /// stories users know (<see cref="StoryReconciler"/>). A reconciled story's <see cref="ReconciledStory.Absorbed"/>
    /// are committed stories this pass shows to be the same event (<see cref="EventClusterSettings.MergeStories"/>); its
    /// <see cref="ReconciledStory.Joined"/> may hold committed items that leave another story
    /// (<see cref="EventClusterSettings.SplitStories"/>).
    /// </summary>
    /// <param name="batch">The pass's new documents.</param>
    /// <param name="committed">The committed items with their stories (any may be outside the reach; the batch's own are skipped).</param>
    /// <returns>The reconciliation, and the story each committed item of the clustered window was in.</returns>
    public (Reconciliation Reconciliation, IReadOnlyDictionary<long, long> Current) Pass(IReadOnlyList<StoryDocument> batch, IEnumerable<(StoryDocument Document, long StoryId)> committed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(committed);
        if (batch.Count == 0)
        {
            return (new Reconciliation([], []), new Dictionary<long, long>());
        }

        var documents = new List<StoryDocument>(batch);
        var inBatch = batch.Select(d => d.ItemId).ToHashSet();
        var from = batch.Min(d => d.Published) - Reach;
        var to = batch.Max(d => d.Published) + Reach;
        // Sized for the window at once: grown step by step, a 10,000-feed window's map left a dead large object per step.
        var current = new Dictionary<long, long>(committed.TryGetNonEnumeratedCount(out var count) ? count : 0);
        foreach (var (document, storyId) in committed)
        {
            if (document.Published >= from && document.Published <= to && !inBatch.Contains(document.ItemId))
            {
                documents.Add(document);
                current[document.ItemId] = storyId;
            }
        }

        var features = Features(documents, cancellationToken);
        var partition = clusterer.Cluster(features, current);
        if (clusterer.Settings.SplitStories)
        {
            // The stories the new items joined (or merged) are read again as wholes: a story judged by the members it had
            // when each joined can hold two events that only the later reports tell apart. Smallest first, up to
            // SplitMaxItems committed items in all: each costs a pair with every item of the window.
            var joined = partition.Clusters.Where(c => c.ItemIds.Any(inBatch.Contains))
                .SelectMany(c => c.ItemIds).Where(current.ContainsKey).GroupBy(id => current[id])
                .Select(g => (Story: g.Key, Size: g.Count())).OrderBy(g => g.Size).ThenBy(g => g.Story).ToList();
            var readAgain = new HashSet<long>();
            var room = clusterer.Settings.SplitMaxItems;
            foreach (var (story, size) in joined)
            {
                if (size > room)
                {
                    break;
                }

                room -= size;
                readAgain.Add(story);
            }

            if (readAgain.Count > 0)
            {
                var stillPinned = current.Where(c => !readAgain.Contains(c.Value)).ToDictionary(c => c.Key, c => c.Value);
                partition = clusterer.Cluster(features, stillPinned);
            }
        }

        return (StoryReconciler.Reconcile(partition, current), current);
    }

    public StoryPartition Cluster(IReadOnlyList<StoryDocument> window, IReadOnlyDictionary<long, long>? pinned, CancellationToken cancellationToken) =>
        clusterer.Cluster(Features(window, cancellationToken), pinned);

    /// <summary>The window's pairs with the same-event model's features (<see cref="EventClusterer.Pairs"/>), for training it.</summary>
    public List<(long A, long B, double[] Features, bool Embedded)> Pairs(IReadOnlyList<StoryDocument> window, Func<long, long, bool>? include, CancellationToken cancellationToken) =>
        clusterer.Pairs(Features(window, cancellationToken), include);

    /// <summary>The window's features, from the cache or computed (embeddings in one batch); forgets items no longer in the window.</summary>
    internal List<EventFeatures> Features(IReadOnlyList<StoryDocument> window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var features = new List<EventFeatures>(window.Count);
        var missing = new List<EventFeatures>();
        foreach (var document in window.OrderBy(d => d, StoryDocument.Order))
        {
            if (!cache.TryGetValue(document.ItemId, out var f) || !ReferenceEquals(f.Document, document) && f.Document != document)
            {
                f = extractor.Extract(document);
                cache[document.ItemId] = f;
            }
            else
            {
                // The pass's own copy of a new item, then the copy the process stage read back once it was committed:
                // the cache keeps the caller's, so the earlier one (title, summary) can go.
                f.ShareDocument(document);
            }

            if (embedder is not null && f.Embedding is null)
            {
                missing.Add(f);
            }

            features.Add(f);
        }

        EmbeddingError = null;
        if (embedder is not null && missing.Count > 0)
        {
            Embed(features, missing, embedder, cancellationToken);
        }

        inWindow.Clear();
        inWindow.UnionWith(window.Select(d => d.ItemId));
        foreach (var id in cache.Keys.Where(id => !inWindow.Contains(id)).ToList())
        {
            cache.Remove(id);
        }

        return features;
    }

    /// <summary>
    /// Embeds the items that have no vector yet, each distinct text once: outlets carry one wire headline word for word,
    /// and a text's vector does not depend on the texts it is embedded with, so a copy takes the vector its text already
    /// has in the window (the same array: the window keeps one per text) and the model sees only texts new to it.
    /// </summary>
    private void Embed(List<EventFeatures> features, List<EventFeatures> missing, ITextEmbedder model, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            if (f.Embedding is { } vector)
            {
                vectors.TryAdd(f.Text, vector);
            }
        }

        var texts = missing.Select(f => f.Text).Where(t => !vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (texts.Count > 0)
        {
            try
            {
                var fresh = model.Embed(texts, cancellationToken);
                for (var i = 0; i < texts.Count; i++)
                {
                    vectors[texts[i]] = fresh[i];
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // No model (a missing runtime, an unwritable model cache): these items are clustered on their words,
                // venues, speakers and time, and the next pass tries again.
                EmbeddingError = e.GetType().Name + ": " + e.Message;
            }
        }

        foreach (var f in missing)
        {
            f.Embedding = vectors.GetValueOrDefault(f.Text);
        }
    }
}
