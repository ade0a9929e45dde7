using Digest.Core.Storage;
using Microsoft.Extensions.Options;

namespace Digest.Core.Digests;

/// <summary>Builds digests from stored stories, ranked by relevance, recency and how many outlets carry them.</summary>
public sealed class DigestComposer(IStoryStore storyStore, IOptions<DigestOptions> options, TimeProvider time)
{
    /// <summary>
    /// Stories are made visible a moment after their items are fetched, so a channel's window reaches back this far;
    /// the record of what each channel was sent keeps the overlap from repeating a story.
    /// </summary>
    internal static readonly TimeSpan Overlap = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A channel's digest: the stories it has not been sent in their current version, updated since its last digest;
    /// a channel's first digest has the latest stories on hand whatever their age. Only what the channel's community sees.
    /// </summary>
    public async Task<DigestModel> ComposeForChannelAsync(ChannelRecord channel, CommunityScope scope, CancellationToken cancellationToken)
    {
        var query = new StoryQuery(options.Value.MaxStories * 4, SeenAfter: channel.LastDigestAt - Overlap, FeedIds: scope.FeedIds, NotSentToChannel: channel.Id);
        var stories = await storyStore.GetStoriesAsync(query, cancellationToken);
        return Build(stories.Where(scope.Admits).ToList(), channel.LastDigestAt);
    }

    /// <summary>Stories with items published in the last <paramref name="window"/>, optionally only from some feeds.</summary>
    public async Task<DigestModel> ComposePublishedWithinAsync(TimeSpan? window, IReadOnlyCollection<long>? feedIds, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = window is { } w ? time.GetUtcNow() - w : null;
        var stories = await storyStore.GetStoriesAsync(new StoryQuery(options.Value.MaxStories * 4, PublishedAfter: since, FeedIds: feedIds), cancellationToken);
        return Build(stories, since);
    }

    private DigestModel Build(IReadOnlyList<StoryRecord> stories, DateTimeOffset? since)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var ranked = stories
            .OrderByDescending(s => Rank(s, now, settings.RecencyHalfLife))
            .Take(settings.MaxStories)
            .Select(DigestStory.From)
            .ToList();
        return new DigestModel(now, ranked, since);
    }

    /// <summary>Relevance, halved per half-life of age, lifted by each extra outlet.</summary>
    internal static double Rank(StoryRecord story, DateTimeOffset now, TimeSpan halfLife)
    {
        var age = Math.Max(0, (now - story.Published).TotalHours);
        var recency = Math.Pow(0.5, age / halfLife.TotalHours);
        return story.Score * (0.35 + 0.65 * recency) * (1 + 0.3 * Math.Log(Math.Max(1, story.Sources.Count)));
    }
}
