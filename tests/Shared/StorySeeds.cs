using Digest.Core.Classification;
using Digest.Core.Storage;

namespace Digest.Tests.Shared;

/// <summary>
/// Stories put into a store the way the stages would make them, for tests that need stories rather than the stages:
/// the process stage's commit (relevance and membership), then the refresh stage's (title, so digests show it).
/// </summary>
internal static class StorySeeds
{
    public static readonly Relevance Relevant = new(true, 0.8, [], []);

    /// <summary>Starts a story with the items (the first gives its title) and refreshes it; returns its id.</summary>
    public static async Task<long> StoryAsync(IDigestStore store, IReadOnlyList<StoredItem> items, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var storyId = await store.ReserveStoryIdAsync(cancellationToken);
        var first = items[0];
        var batch = new ProcessedBatch(
            items.Select(i => new ItemVerdict(i.Id, i.Relevance ?? Relevant)).ToList(),
            [new NewStory(storyId, first.Item.Title, first.Item.Url, (first.Relevance ?? Relevant).Score)],
            items.Select(i => new StoryPlacement(i.Id, storyId, null)).ToList(),
            []);
        (await store.CommitProcessedAsync(batch, at, cancellationToken)).ShouldNotBeNull();
        await RefreshAllAsync(store, at, cancellationToken);
        return storyId;
    }

    /// <summary>Puts the items into an existing story and refreshes it, as a later poll's items would.</summary>
    public static async Task JoinAsync(IDigestStore store, long storyId, IReadOnlyList<StoredItem> items, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var batch = new ProcessedBatch(
            items.Select(i => new ItemVerdict(i.Id, i.Relevance ?? Relevant)).ToList(),
            [],
            items.Select(i => new StoryPlacement(i.Id, storyId, null)).ToList(),
            []);
        (await store.CommitProcessedAsync(batch, at, cancellationToken)).ShouldNotBeNull();
        await RefreshAllAsync(store, at, cancellationToken);
    }

    /// <summary>Marks the items processed and in no story (the classifier said no).</summary>
    public static async Task RejectAsync(IDigestStore store, IReadOnlyList<StoredItem> items, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await store.CommitProcessedAsync(new ProcessedBatch(items.Select(i => new ItemVerdict(i.Id, Relevance.Irrelevant("off topic"))).ToList(), [], [], []), at, cancellationToken)).ShouldNotBeNull();

    /// <summary>Refreshes every story due, titled by its earliest item, without key lines.</summary>
    public static async Task RefreshAllAsync(IDigestStore store, DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (await store.ClaimRefreshAsync("seed", TimeSpan.FromMinutes(1), at, cancellationToken) is { } claim)
        {
            var members = await store.GetStoryItemsAsync(claim.StoryId, cancellationToken);
            var lead = members.OrderBy(m => m.Id).First();
            // As the refresh stage does: the fresh (not backlog) items new in this version make the story new for digests.
            var fresh = members.Where(m => m.JoinedVersion > claim.RefreshedVersion && !m.IsBacklog).ToList();
            var refresh = new StoryRefresh(claim.StoryId, claim.Version, lead.Item.Title, lead.Item.Url, members.Max(m => m.Relevance?.Score ?? 0), [], [], HasNewItems: true)
            {
                FreshPublished = fresh.Count > 0 ? fresh.Max(m => m.Item.Published) : null,
            };
            (await store.CommitRefreshAsync(refresh, [], "seed", at, cancellationToken)).ShouldBeTrue();
        }
    }
}
