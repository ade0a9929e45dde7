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

    /// <summary>
    /// Whether a text holds the phrase's words in order, whatever their case and the spaces between them: each starts a word
    /// and all but the last end one, so <c>guarantee</c> finds "guarantees" but <c>war</c> is not found in "software" or
    /// "award" (as /search reads its last word).
    /// </summary>
    public static bool Mentions(IReadOnlyList<string> texts, string phrase)
    {
        var words = phrase.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && texts.Any(t => Mentions(t, words));
    }

    private static bool Mentions(string text, string[] words)
    {
        for (var at = text.IndexOf(words[0], StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(words[0], at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (at > 0 && char.IsLetterOrDigit(text[at - 1]))
            {
                continue;
            }

            var end = at + words[0].Length;
            var matched = 1;
            while (matched < words.Length && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                var next = end;
                while (next < text.Length && char.IsWhiteSpace(text[next]))
                {
                    next++;
                }

                if (next == end || string.Compare(text, next, words[matched], 0, words[matched].Length, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    break;
                }

                end = next + words[matched].Length;
                matched++;
            }

            if (matched == words.Length)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Reads a community's scope, and a story as a community sees it, from the store.</summary>
internal sealed class CommunityScopes(ICommunityStore communityStore, IStoryStore storyStore, IItemStore itemStore, TopicProfile profile)
{
    /// <summary>
    /// A story by id (a merged one's id leads to its survivor) with its reports, when it comes to this community: one of its
    /// reports is from a feed the community follows, as for <c>/latest</c>. Null for no such story, or one only other
    /// communities' own feeds tell.
    /// </summary>
    public async Task<(StoryRecord Story, IReadOnlyList<StoredItem> Items)?> StoryAsync(string? communityId, long storyId, CancellationToken cancellationToken)
    {
        if (await storyStore.GetStoryAsync(storyId, cancellationToken) is not { } story)
        {
            return null;
        }

        var items = await itemStore.GetStoryItemsAsync(story.Id, cancellationToken);
        var feeds = (await ForAsync(communityId, cancellationToken)).FeedIds;
        return feeds is null || items.Any(i => feeds.Contains(i.FeedId)) ? (story, items) : null;
    }

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
