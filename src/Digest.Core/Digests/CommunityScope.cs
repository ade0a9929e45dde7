using Digest.Core.Classification;
using Digest.Core.Storage;

namespace Digest.Core.Digests;

/// <summary>
/// What a community sees: the stories with an item from one of its feeds (configured feeds belong to every community),
/// passed through its topic settings. The console and other community-less channels see everything.
/// </summary>
internal sealed record CommunityScope(IReadOnlyCollection<long>? FeedIds, TopicSettings Topic, double DefaultThreshold = 0)
{
    public bool Admits(StoryRecord story) => TopicFilter.Admits(Topic, [story.Title, .. story.KeyLines.Select(k => k.Text)], story.Score, DefaultThreshold);
}

/// <summary>A community's topic settings on top of the stored relevance.</summary>
internal static class TopicFilter
{
    /// <summary>An exclude phrase in any text drops the story; an include phrase keeps it; otherwise its score must reach the threshold.</summary>
    /// <param name="defaultThreshold">The topic profile's own threshold, for communities that set none: a story a moderator's
    /// include phrase rescued elsewhere stays below it.</param>
    public static bool Admits(TopicSettings topic, IReadOnlyList<string> texts, double score, double defaultThreshold = 0)
    {
        if (topic.Exclude.Any(phrase => Mentions(texts, phrase)))
        {
            return false;
        }

        if (topic.Include.Any(phrase => Mentions(texts, phrase)))
        {
            return true;
        }

        return score >= (topic.Threshold ?? defaultThreshold);
    }

    public static bool Mentions(IReadOnlyList<string> texts, string phrase) => texts.Any(t => t.Contains(phrase, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads a community's scope from the store.</summary>
internal sealed class CommunityScopes(ICommunityStore communityStore, TopicProfile profile)
{
    /// <summary>A community's feeds (those it muted left out) and topic settings; with no community (the console), every feed.</summary>
    public async Task<CommunityScope> ForAsync(string? communityId, CancellationToken cancellationToken)
    {
        if (communityId is null)
        {
            return new CommunityScope(null, TopicSettings.Default, profile.Threshold);
        }

        // Ids only: a community of a thousand feeds is read on every /search, and their full records are not needed here.
        var feeds = await communityStore.GetScopeFeedIdsAsync(communityId, cancellationToken);
        var topic = await communityStore.GetTopicSettingsAsync(communityId, cancellationToken);
        return new CommunityScope(feeds, topic, profile.Threshold);
    }
}
