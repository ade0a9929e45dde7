using Digest.Core.Storage;
using Microsoft.Extensions.Options;

namespace Digest.Core.Digests;

/// <summary>Builds digests from stored stories, ranked by relevance, recency and how many outlets carry them.</summary>
internal sealed class DigestComposer(IStoryStore storyStore, IDeliveryStore deliveryStore, IOptions<DigestOptions> options, TimeProvider time)
{
    /// <summary>
    /// A refresh commits a moment after its time is taken, so a channel's window reaches back this far; the record of what
    /// each digest covered keeps the overlap from repeating a story.
    /// </summary>
    internal static readonly TimeSpan Overlap = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Feeds date an article when it was written and are read some minutes later: an item published this long before a
    /// channel joined is still news to it. Older ones never make a story new for it.
    /// </summary>
    internal static readonly TimeSpan JoinGrace = TimeSpan.FromHours(1);

    /// <summary>
    /// A channel's next digest. The first one holds the latest stories on hand, whatever their age. After that, only
    /// stories that got a fresh item (never a feed's backlog) since the channel's last digest, published within
    /// <see cref="DigestOptions.Window"/> and after the channel joined; a story the channel was shown before comes back
    /// marked with what is new. Every story the digest covers — shown, or ranked below its
    /// <see cref="DigestOptions.MaxStories"/> — is recorded with it, so none comes back without a new fresh item.
    /// Only what the channel's community sees.
    /// </summary>
    public async Task<ChannelDigest> ComposeForChannelAsync(ChannelRecord channel, CommunityScope scope, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var query = new StoryQuery(settings.MaxStories * 4, FeedIds: scope.FeedIds, NotSentToChannel: channel.Id);
        if (channel.LastDigestAt is { } last)
        {
            var notBefore = now - settings.Window;
            query = query with
            {
                FreshAfter = last - Overlap,
                FreshPublishedAfter = channel.JoinedAt is { } joined && joined - JoinGrace > notBefore ? joined - JoinGrace : notBefore,
            };
        }

        var candidates = (await storyStore.GetStoriesAsync(query, cancellationToken)).Where(scope.Admits).ToList();
        var chosen = Rank(candidates).ToList();
        var sent = await deliveryStore.GetSentAsync(channel.Id, chosen.Select(s => s.Id).ToList(), cancellationToken);
        var stories = chosen.Select(s => DigestStory.From(s) with { Update = StoryUpdate.Between(sent.GetValueOrDefault(s.Id), s.Sources, s.KeyLines) }).ToList();
        var shown = chosen.Select(s => s.Id).ToHashSet();
        var covered = candidates.Select(s => new DigestEntry(
            s.Id,
            s.FreshAt,
            shown.Contains(s.Id),
            shown.Contains(s.Id) ? s.Sources.Select(x => x.Name).ToList() : [],
            shown.Contains(s.Id) ? s.KeyLines.Select(k => k.Text).ToList() : [])).ToList();
        return new ChannelDigest(new DigestModel(now, stories, channel.LastDigestAt), covered);
    }

    /// <summary>Stories with items published in the last <paramref name="window"/>, optionally only from some feeds.</summary>
    public async Task<DigestModel> ComposePublishedWithinAsync(TimeSpan? window, IReadOnlyCollection<long>? feedIds, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = window is { } w ? time.GetUtcNow() - w : null;
        var stories = await storyStore.GetStoriesAsync(new StoryQuery(options.Value.MaxStories * 4, PublishedAfter: since, FeedIds: feedIds), cancellationToken);
        return Build(stories, since);
    }

    /// <summary>
    /// The latest stories on hand whatever their age, ranked — what <c>once</c> and the site's front page show — read
    /// through the stories' <c>last_seen</c> index where it can be: a story is published no later than it was last seen,
    /// so when the stories seen within a window fill the query and all were published inside it, they are exactly the
    /// latest ones; otherwise the window widens, and at last every story is read.
    /// </summary>
    public async Task<DigestModel> ComposeLatestAsync(CancellationToken cancellationToken)
    {
        var wanted = options.Value.MaxStories * 4;
        var now = time.GetUtcNow();
        foreach (var window in LatestWindows)
        {
            var since = now - window;
            var stories = await storyStore.GetStoriesAsync(new StoryQuery(wanted, SeenAfter: since), cancellationToken);
            if (stories.Count == wanted && stories[^1].Published > since)
            {
                return Build(stories, null);
            }
        }

        return await ComposePublishedWithinAsync(null, null, cancellationToken);
    }

    private static readonly TimeSpan[] LatestWindows = [TimeSpan.FromDays(2), TimeSpan.FromDays(30)];

    private DigestModel Build(IReadOnlyList<StoryRecord> stories, DateTimeOffset? since) =>
        new(time.GetUtcNow(), Rank(stories).Select(DigestStory.From).ToList(), since);

    /// <summary>The <see cref="DigestOptions.MaxStories"/> best of <paramref name="stories"/>, best first.</summary>
    private IEnumerable<StoryRecord> Rank(IReadOnlyList<StoryRecord> stories)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        return stories.OrderByDescending(s => Rank(s, now, settings.RecencyHalfLife)).Take(settings.MaxStories);
    }

    /// <summary>Relevance, halved per half-life of age, lifted by each extra outlet.</summary>
    internal static double Rank(StoryRecord story, DateTimeOffset now, TimeSpan halfLife)
    {
        var age = Math.Max(0, (now - story.Published).TotalHours);
        var recency = Math.Pow(0.5, age / halfLife.TotalHours);
        return story.Score * (0.35 + 0.65 * recency) * (1 + 0.3 * Math.Log(Math.Max(1, story.Sources.Count)));
    }
}
