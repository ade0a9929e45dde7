using Digest.Core.Commands;
using Digest.Core.Storage;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>
/// Puts feeds and channels on the Quartz schedule: one job per feed (its interval), one per channel (its cron, in its time
/// zone). Identities are stable, and with a persistent store several workers schedule at startup: a
/// trigger that is already there with the same definition is kept as it is (its next fire time included); only a
/// changed definition replaces it.
/// </summary>
internal sealed class DigestScheduler(ISchedulerFactory schedulers, TimeProvider time) : IDigestScheduling
{
    public static JobKey FeedJob(long feedId) => new($"feed-{feedId}", "feeds");

    public static JobKey ChannelJob(long channelId) => new($"digest-{channelId}", "digests");

    private static readonly JobKey RetiredSweepJob = new("outbox-sweep", "outbox");

    public async Task ScheduleFeedAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        var key = FeedJob(feed.Id);
        var job = JobBuilder.Create<PollFeedJob>().WithIdentity(key).UsingJobData("feedId", feed.Id).RequestRecovery().Build();

        // A fresh feed is polled at once; a known one when it is due (its backoff kept across restarts). A poll that comes
        // late (a long first cycle, an outage) is made once, then the feed goes on at its start time plus whole intervals:
        // feeds scheduled together stay together, so after a first cycle of 10,000 feeds spread over minutes the second
        // (mostly 304) is asked for at one time rather than spread the same way.
        var now = time.GetUtcNow();
        var seconds = IntervalSeconds(feed.Interval);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Name, key.Group)
            .ForJob(key)
            .StartAt(feed.NextPollAt is { } due && due > now ? due : now)
            .WithCalendarIntervalSchedule(s => s.WithInterval(seconds, IntervalUnit.Second).WithMisfireInstruction(CalendarIntervalTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await ScheduleAsync(job, trigger, existing => existing is ICalendarIntervalTrigger calendar && calendar.RepeatIntervalUnit == IntervalUnit.Second
            && calendar.RepeatInterval == seconds && calendar.MisfireInstructionCode == trigger.MisfireInstructionCode, cancellationToken);
    }

    /// <summary>A feed's interval in whole seconds, as its trigger counts it (at least one).</summary>
    internal static int IntervalSeconds(TimeSpan interval) => Math.Max(1, (int)Math.Round(interval.TotalSeconds));

    public async Task UnscheduleFeedAsync(long feedId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(FeedJob(feedId), cancellationToken);
    }

    public async Task ScheduleChannelAsync(ChannelRecord channel, CancellationToken cancellationToken)
    {
        var key = ChannelJob(channel.Id);
        if (channel.Schedule == Schedules.Off)
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            await scheduler.DeleteJob(key, cancellationToken);
            return;
        }

        var job = JobBuilder.Create<ChannelDigestJob>().WithIdentity(key).UsingJobData("channelId", channel.Id).RequestRecovery().Build();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(channel.TimeZone);

        // After an outage a missed digest is sent once, not once per missed slot.
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Name, key.Group)
            .ForJob(key)
            .WithCronSchedule(channel.Schedule, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await ScheduleAsync(job, trigger, existing => existing is ICronTrigger cron && cron.CronExpressionString == channel.Schedule
            && cron.TimeZone.Id == zone.Id && cron.MisfireInstructionCode == trigger.MisfireInstructionCode, cancellationToken);
    }

    /// <summary>
    /// The outbox is swept by every worker's <see cref="Digest.Core.Delivery.DeliveryDispatcher"/> now; the Quartz sweep job
    /// an earlier version kept in a persistent store is removed, so no worker tries to run a job class that is gone.
    /// </summary>
    public async Task RetireOutboxSweepAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(RetiredSweepJob, cancellationToken);
    }

    private async Task ScheduleAsync(IJobDetail job, ITrigger trigger, Func<ITrigger, bool> unchanged, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var existingJob = await scheduler.GetJobDetail(job.Key, cancellationToken);
        var existing = await scheduler.GetTrigger(trigger.Key, cancellationToken);
        if (existing is not null && existingJob is not null && unchanged(existing)
            && existingJob.JobType.Equals(job.JobType) && existingJob.RequestsRecovery == job.RequestsRecovery)
        {
            return;
        }

        if (existing is not null || existingJob is not null)
        {
            await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
            return;
        }

        try
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another worker starting at the same moment scheduled it first, from the same definition.
        }
    }
}
