using Digest.Core.Commands;
using Digest.Core.Storage;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>
/// Puts feeds and channels on the Quartz schedule: one job per feed (its interval), one per channel (its cron, in its time
/// zone), one outbox sweep. Identities are stable, and with a persistent store several workers schedule at startup: a
/// trigger that is already there with the same definition is kept as it is (its next fire time included); only a
/// changed definition replaces it.
/// </summary>
internal sealed class DigestScheduler(ISchedulerFactory schedulers, TimeProvider time) : IDigestScheduling
{
    /// <summary>How often unacknowledged messages are retried (a failed send, a claim left by a worker that died).</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    public static JobKey FeedJob(long feedId) => new($"feed-{feedId}", "feeds");

    public static JobKey ChannelJob(long channelId) => new($"digest-{channelId}", "digests");

    public static readonly JobKey SweepJob = new("outbox-sweep", "outbox");

    public async Task ScheduleFeedAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        var key = FeedJob(feed.Id);
        var job = JobBuilder.Create<PollFeedJob>().WithIdentity(key).UsingJobData("feedId", feed.Id).RequestRecovery().Build();

        // A fresh feed is polled at once; a known one when it is due (its backoff kept across restarts). After an outage
        // a feed is polled once, then on its interval again.
        var now = time.GetUtcNow();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key.Name, key.Group)
            .ForJob(key)
            .StartAt(feed.NextPollAt is { } due && due > now ? due : now)
            .WithSimpleSchedule(s => s.WithInterval(feed.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
            .Build();
        await ScheduleAsync(job, trigger, existing => existing is ISimpleTrigger simple && simple.RepeatInterval == feed.Interval
            && simple.MisfireInstructionCode == trigger.MisfireInstructionCode, cancellationToken);
    }

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
    /// Retries what is left in the outbox every <see cref="SweepInterval"/>, on one worker at a time, starting at once: a
    /// restart sends what was recorded but not acknowledged without holding up anything else.
    /// </summary>
    public async Task ScheduleSweepAsync(CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<OutboxSweepJob>().WithIdentity(SweepJob).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(SweepJob.Name, SweepJob.Group)
            .ForJob(SweepJob)
            .StartAt(time.GetUtcNow())
            .WithSimpleSchedule(s => s.WithInterval(SweepInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await ScheduleAsync(job, trigger, existing => existing is ISimpleTrigger simple && simple.RepeatInterval == SweepInterval, cancellationToken);
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
