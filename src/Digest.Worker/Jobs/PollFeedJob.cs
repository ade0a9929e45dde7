using Digest.Core.Feeds;
using Digest.Core.Storage;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>Polls one feed, unless it is paused or backing off after failures.</summary>
[DisallowConcurrentExecution]
internal sealed class PollFeedJob(IFeedStore feedStore, FeedPoller poller, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var feedId = context.MergedJobDataMap.GetLong("feedId");
        var feed = await feedStore.GetFeedAsync(feedId, cancellationToken);
        if (feed is null)
        {
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }

        // Backoff: the trigger keeps the feed's interval; a feed whose next poll is further off than half of it waits.
        if (feed.IsPaused || (feed.NextPollAt is { } due && due - time.GetUtcNow() > feed.Interval / 2))
        {
            return;
        }

        await poller.PollAsync(feed, cancellationToken);
    }
}

/// <summary>
/// Composes one channel's digest and queues it for the channel's loop (<see cref="Digest.Core.Delivery.DeliveryDispatcher"/>).
/// The scheduled fire time names the digest, so a run recovered after its worker died, or raced by another worker,
/// records the same digest once.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ChannelDigestJob(Digest.Core.Delivery.DigestDelivery delivery) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await delivery.RunChannelAsync(context.MergedJobDataMap.GetLong("channelId"), context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
}
