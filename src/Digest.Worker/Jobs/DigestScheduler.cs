using Digest.Core.Commands;
using Digest.Core.Storage;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>Puts feeds and channels on the Quartz schedule: one job per feed (its interval), one per channel (its cron, in its time zone).</summary>
internal sealed class DigestScheduler(ISchedulerFactory schedulers, TimeProvider time) : IDigestScheduling
{
    public static JobKey FeedJob(long feedId) => new($"feed-{feedId}", "feeds");

    public static JobKey ChannelJob(long channelId) => new($"digest-{channelId}", "digests");

    public async Task ScheduleFeedAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = FeedJob(feed.Id);
        var now = time.GetUtcNow();
        var job = JobBuilder.Create<PollFeedJob>().WithIdentity(key).UsingJobData("feedId", feed.Id).Build();

        // A fresh feed is polled at once; a known one when it is due (its backoff kept across restarts).
        var start = feed.NextPollAt is { } due && due > now ? due : now;
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"feed-{feed.Id}", "feeds")
            .StartAt(start)
            .WithSimpleSchedule(s => s.WithInterval(feed.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task UnscheduleFeedAsync(long feedId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(FeedJob(feedId), cancellationToken);
    }

    public async Task ScheduleChannelAsync(ChannelRecord channel, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = ChannelJob(channel.Id);
        if (channel.Schedule == Schedules.Off)
        {
            await scheduler.DeleteJob(key, cancellationToken);
            return;
        }

        var job = JobBuilder.Create<ChannelDigestJob>().WithIdentity(key).UsingJobData("channelId", channel.Id).Build();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(channel.TimeZone);

        // After an outage a missed digest is sent once, not once per missed slot.
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"digest-{channel.Id}", "digests")
            .WithCronSchedule(channel.Schedule, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    /// <summary>When the channel's next digest is due, from its schedule.</summary>
    public static DateTimeOffset? NextDigest(ChannelRecord channel, DateTimeOffset after) => Schedules.Next(channel.Schedule, channel.TimeZone, after);
}
