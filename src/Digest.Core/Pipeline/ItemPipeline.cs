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
/// touched story's title, score, tags and key lines. One pass at a time, because the clusterer is incremental.
/// </summary>
public sealed partial class ItemPipeline(
    IDigestStore store,
    IRelevanceClassifier classifier,
    IStoryClusterer clusterer,
    IKeyLineExtractor keyLines,
    ArticleTextFetcher articles,
    IEnumerable<IStoryObserver> observers,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<ItemPipeline> logger)
{
    private readonly SemaphoreSlim gate = new(1, 1); // lives as long as the app; never disposed
    private bool warmed;

    public async Task ProcessAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await WarmAsync(cancellationToken);
            var touched = new Dictionary<long, (bool IsNew, List<StoredItem> Items)>();
            foreach (var item in items.OrderBy(i => i.Item.Published))
            {
                var verdict = classifier.Classify(new ClassifierInput(item.Item.Title, item.Item.Summary, item.FeedName));
                await store.SetRelevanceAsync(item.Id, verdict, cancellationToken);
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
                    storyId = await store.CreateStoryAsync(classified, time.GetUtcNow(), cancellationToken);
                    isNew = true;
                }
                else
                {
                    storyId = match.StoryId;
                    isNew = false;
                    await store.AttachToStoryAsync(item.Id, storyId, match.DuplicateOfItemId, time.GetUtcNow(), cancellationToken);
                }

                clusterer.Add(document, storyId);
                if (!touched.TryGetValue(storyId, out var entry))
                {
                    entry = (isNew, []);
                    touched[storyId] = entry;
                }

                entry.Items.Add(classified with { StoryId = storyId });
            }

            foreach (var storyId in touched.Keys)
            {
                await RefreshStoryAsync(storyId, cancellationToken);
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
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Recomputes a story from its items: the most representative title, the best score, the union of tags, fresh key lines.</summary>
    public async Task RefreshStoryAsync(long storyId, CancellationToken cancellationToken)
    {
        var members = await store.GetStoryItemsAsync(storyId, cancellationToken);
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
        await store.UpdateStoryAsync(storyId, lead.Item.Title, lead.Item.Url, score, tags, lines, cancellationToken);
    }

    /// <summary>Teaches the clusterer the recent stories once, so a restart keeps joining items to them.</summary>
    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        if (warmed)
        {
            return;
        }

        var recent = await store.GetItemsSinceAsync(time.GetUtcNow() - options.Value.ClusterWarmup, cancellationToken);
        foreach (var item in recent.Where(i => i.StoryId is not null).OrderBy(i => i.Item.Published))
        {
            clusterer.Add(new ClusterDocument(item.Id, item.Item.Title, item.Item.Summary, item.Item.Published), item.StoryId!.Value);
        }

        warmed = true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processed {Items} new items, {Stories} stories touched")]
    private static partial void LogProcessed(ILogger logger, int items, int stories);
}
