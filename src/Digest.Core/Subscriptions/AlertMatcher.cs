using System.Globalization;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Subscriptions;

/// <summary>
/// Which subscribers a story's refresh alerts: those with a phrase that the story's title or its items new since the last
/// refresh mention, in a community that sees one of those items' feeds and admits the story. Only fresh items count (a
/// feed's backlog never alerts); the outbox key <c>alert:{subscription}:{story}</c> makes it once per story and
/// subscriber, whatever later items join the story; an alert caused by an update of a story says what changed
/// (<see cref="StoryUpdate"/>). The refresh stage commits the alerts with the refreshed story.
/// </summary>
internal sealed class AlertMatcher(ICommunityStore communityStore, CommunityScopes scopes)
{
    public async Task<IReadOnlyList<OutboxEntry>> MatchAsync(StoryRecord story, IReadOnlyList<StoredItem> newItems, StoryUpdate? update, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var fresh = newItems.Where(i => !i.IsBacklog).ToList();
        if (fresh.Count == 0)
        {
            return [];
        }

        var subscriptions = await communityStore.GetAlertSubscriptionsAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return [];
        }

        IReadOnlyList<string> texts = [story.Title, .. fresh.Select(i => i.Item.Title), .. fresh.Select(i => i.Item.Summary)];
        var scopeCache = new Dictionary<string, CommunityScope>();
        var alerts = new List<OutboxEntry>();
        foreach (var subscription in subscriptions)
        {
            var phrase = subscription.Alerts.FirstOrDefault(p => TopicFilter.Mentions(texts, p));
            if (phrase is null)
            {
                continue;
            }

            if (!scopeCache.TryGetValue(subscription.CommunityId, out var scope))
            {
                scope = scopeCache[subscription.CommunityId] = await scopes.ForAsync(subscription.CommunityId, cancellationToken);
            }

            if ((scope.FeedIds is { } feedIds && !fresh.Any(i => feedIds.Contains(i.FeedId))) || !scope.Admits(story))
            {
                continue;
            }

            var key = string.Create(CultureInfo.InvariantCulture, $"alert:{subscription.Id}:{story.Id}");
            alerts.Add(new OutboxEntry(subscription.ChannelId, OutboxPayload.AlertKind, key, OutboxPayload.ForAlert(DigestStory.From(story) with { Update = update }, phrase, at).Serialize()));
        }

        return alerts;
    }
}
