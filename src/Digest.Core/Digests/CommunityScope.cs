using Digest.Core.Storage;

namespace Digest.Core.Digests;

/// <summary>
/// What a community sees: the stories with an item from one of its feeds (configured feeds belong to every community),
/// passed through its topic settings. The console and other community-less channels see everything.
/// </summary>
public sealed record CommunityScope(IReadOnlyCollection<long>? FeedIds, TopicSettings Topic)
{
    public static readonly CommunityScope Everything = new(null, TopicSettings.Default);

    public bool Admits(StoryRecord story) => TopicFilter.Admits(Topic, [story.Title, .. story.KeyLines.Select(k => k.Text)], story.Score);
}

/// <summary>A community's topic settings on top of the stored relevance.</summary>
public static class TopicFilter
{
    /// <summary>An exclude phrase in any text drops the story; an include phrase keeps it; otherwise its score must reach the threshold.</summary>
    public static bool Admits(TopicSettings topic, IReadOnlyList<string> texts, double score)
    {
        if (topic.Exclude.Any(phrase => Mentions(texts, phrase)))
        {
            return false;
        }

        if (topic.Include.Any(phrase => Mentions(texts, phrase)))
        {
            return true;
        }

        return topic.Threshold is not { } threshold || score >= threshold;
    }

    public static bool Mentions(IReadOnlyList<string> texts, string phrase) => texts.Any(t => t.Contains(phrase, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads a community's scope from the store.</summary>
public sealed class CommunityScopes(IDigestStore store)
{
    public async Task<CommunityScope> ForAsync(string? communityId, CancellationToken cancellationToken)
    {
        if (communityId is null)
        {
            return CommunityScope.Everything;
        }

        var feeds = await store.GetCommunityFeedsAsync(communityId, cancellationToken);
        var topic = await store.GetTopicSettingsAsync(communityId, cancellationToken);
        return new CommunityScope(feeds.Select(f => f.Feed.Id).ToList(), topic);
    }
}
