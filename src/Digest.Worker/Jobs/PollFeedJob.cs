using Digest.Core;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>
/// Polls one feed, unless it is paused or backing off after failures, or a later poll of it is already due. A stop
/// cancels the poll at once.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class PollFeedJob(IFeedStore feedStore, FeedPoller poller, ShutdownGrace shutdown, TimeProvider time, ILogger<PollFeedJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Stopping);
        try
        {
            await PollAsync(context, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The bot is stopping: the poll is left for the next start (its state is written only when it completes).
        }
    }

    private async Task PollAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var feedId = context.MergedJobDataMap.GetLong("feedId");
        var feed = await feedStore.GetFeedAsync(feedId, cancellationToken);
        if (feed is null)
        {
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }

        if (MissedSlots.CoveredBy(context, feed.LastPolledAt))
        {
            LogCovered(logger, feed.Name, context.ScheduledFireTimeUtc);
            return;
        }

        // Backoff: the trigger keeps the feed's interval; a feed whose next poll is further off than half of it waits.
        if (feed.IsPaused || (feed.NextPollAt is { } due && due - time.GetUtcNow() > feed.Interval / 2))
        {
            return;
        }

        await poller.PollAsync(feed, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Feed}: the poll due at {Slot:u} is skipped, the feed was polled since (a missed interval)")]
    private static partial void LogCovered(ILogger logger, string feed, DateTimeOffset? slot);
}

/// <summary>
/// Composes and delivers one channel's digest. The scheduled fire time names the digest, so a run recovered after its
/// worker died, or raced by another worker, records the same digest once; slots missed during an outage make one digest
/// (<see cref="MissedSlots"/>).
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ChannelDigestJob(Digest.Core.Delivery.DigestDelivery delivery, IDeliveryStore deliveryStore, ShutdownGrace shutdown, ILogger<ChannelDigestJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // A digest being sent when the bot stops may finish within the grace period, then its message is released.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Abandoned);
        try
        {
            var channelId = context.MergedJobDataMap.GetLong("channelId");
            if (MissedSlots.CoveredBy(context, (await deliveryStore.GetChannelAsync(channelId, stop.Token))?.LastDigestAt))
            {
                LogCovered(logger, channelId, context.ScheduledFireTimeUtc);
                return;
            }

            await delivery.RunChannelAsync(channelId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The bot is stopping: a digest recorded is sent at the next start, one not yet recorded is composed then.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: the digest due at {Slot:u} is skipped, a digest was composed since (a missed slot)")]
    private static partial void LogCovered(ILogger logger, long channelId, DateTimeOffset? slot);
}

/// <summary>
/// Sends what every channel has left unacknowledged: failed sends, and messages a dead worker had claimed. Like a
/// digest, a sweep under way when the bot stops has the grace period to finish.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OutboxSweepJob(Digest.Core.Delivery.DigestDelivery delivery, ShutdownGrace shutdown) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Abandoned);
        try
        {
            await delivery.FlushAllAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The bot is stopping: what is left is swept at the next start.
        }
    }
}
