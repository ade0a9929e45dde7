using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Microsoft.Extensions.Options;

namespace Digest.Core.Digests;

/// <summary>Builds digests from stored stories, ranked by relevance, recency and how many outlets carry them.</summary>
public sealed class DigestComposer(IDigestStore store, IOptions<DigestOptions> options, TimeProvider time)
{
    /// <summary>Stories with items first seen after <paramref name="since"/>; with no <paramref name="since"/> (a first digest), the latest stories on hand whatever their age.</summary>
    public async Task<DigestModel> ComposeSinceAsync(DateTimeOffset? since, double? threshold, CancellationToken cancellationToken)
    {
        var stories = await store.GetStoriesSinceAsync(since, options.Value.MaxStories * 4, cancellationToken);
        return Build(stories, since, threshold);
    }

    /// <summary>Stories with items published in the last <paramref name="window"/>.</summary>
    public async Task<DigestModel> ComposePublishedWithinAsync(TimeSpan window, double? threshold, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - window;
        var stories = await store.GetStoriesPublishedSinceAsync(since, options.Value.MaxStories * 4, cancellationToken);
        return Build(stories, since, threshold);
    }

    private DigestModel Build(IReadOnlyList<StoryRecord> stories, DateTimeOffset? since, double? threshold)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var ranked = stories
            .Where(s => threshold is null || s.Score >= threshold)
            .OrderByDescending(s => Rank(s, now, settings.RecencyHalfLife))
            .Take(settings.MaxStories)
            .Select(s => new DigestStory(s.Id, s.Title, s.Url, s.Sources, s.KeyLines, s.Score, s.Tags, s.Published))
            .ToList();
        return new DigestModel(now, ranked, since);
    }

    /// <summary>Relevance, halved per half-life of age, lifted by each extra outlet.</summary>
    internal static double Rank(StoryRecord story, DateTimeOffset now, TimeSpan halfLife)
    {
        var newest = story.Published > story.LastSeen ? story.LastSeen : story.Published;
        var age = Math.Max(0, (now - newest).TotalHours);
        var recency = Math.Pow(0.5, age / halfLife.TotalHours);
        return story.Score * (0.35 + 0.65 * recency) * (1 + 0.3 * Math.Log(Math.Max(1, story.Sources.Count)));
    }
}
