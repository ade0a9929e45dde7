using System.Globalization;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Digest.Core.Subscriptions;

/// <summary>
/// Sends a subscriber a story that matches one of their phrases, privately, right after the poll that found it. Only
/// fresh items count (a feed's backlog never alerts); the outbox key <c>alert:{subscription}:{story}</c> makes it once
/// per story and subscriber, whatever later items join the story or however often the pipeline runs.
/// </summary>
public sealed partial class AlertObserver(IStoryStore storyStore, IDeliveryStore deliveryStore, ICommunityStore communityStore, CommunityScopes scopes, DigestDelivery delivery, TimeProvider time, ILogger<AlertObserver> logger) : IStoryObserver
{
    public async Task OnStoriesUpdatedAsync(IReadOnlyList<StoryUpdate> updates, CancellationToken cancellationToken)
    {
        var fresh = updates
            .Select(u => (u.StoryId, Items: u.NewItems.Where(i => !i.IsBacklog).ToList()))
            .Where(u => u.Items.Count > 0)
            .ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var subscriptions = await communityStore.GetAlertSubscriptionsAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return;
        }

        var scopeCache = new Dictionary<string, CommunityScope>();
        var touched = new HashSet<long>();
        var now = time.GetUtcNow();
        foreach (var (storyId, items) in fresh)
        {
            if (await storyStore.GetStoryAsync(storyId, cancellationToken) is not { } story)
            {
                continue;
            }

            IReadOnlyList<string> texts = [story.Title, .. items.Select(i => i.Item.Title), .. items.Select(i => i.Item.Summary)];
            foreach (var subscription in subscriptions)
            {
                if (!scopeCache.TryGetValue(subscription.CommunityId, out var scope))
                {
                    scope = scopeCache[subscription.CommunityId] = await scopes.ForAsync(subscription.CommunityId, cancellationToken);
                }

                if (scope.FeedIds is { } feedIds && !items.Any(i => feedIds.Contains(i.FeedId)))
                {
                    continue;
                }

                var phrase = subscription.Alerts.FirstOrDefault(p => TopicFilter.Mentions(texts, p));
                if (phrase is null || !scope.Admits(story))
                {
                    continue;
                }

                var key = string.Create(CultureInfo.InvariantCulture, $"alert:{subscription.Id}:{story.Id}");
                var payload = OutboxPayload.ForAlert(DigestStory.From(story), phrase, now).Serialize();
                if (await deliveryStore.EnqueueAsync(subscription.ChannelId, OutboxPayload.AlertKind, key, payload, now, cancellationToken))
                {
                    touched.Add(subscription.ChannelId);
                    LogAlert(logger, subscription.Id, story.Id, phrase);
                }
            }
        }

        foreach (var channelId in touched)
        {
            if (await deliveryStore.GetChannelAsync(channelId, cancellationToken) is { } channel)
            {
                await delivery.FlushAsync(channel, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert for subscription {SubscriptionId}: story {StoryId} matches {Phrase}")]
    private static partial void LogAlert(ILogger logger, long subscriptionId, long storyId, string phrase);
}
