using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>
/// Slots a schedule missed while the database was away or the scheduler stalled make one run, not one each. Quartz treats
/// a trigger late by more than its misfire threshold (60 s) as misfired and fires it once (<c>FireAndProceed</c>,
/// <c>NowWithExistingCount</c>), but one late by less is simply fired, and its next slot — already past too — right after
/// it: a 50 s outage of a channel scheduled every 10 s fired five digests, four of them "nothing new". A firing whose
/// next slot is already due carries nothing the next one would not, so it is skipped; so is a recovered firing (its
/// worker died) of a slot after which the trigger has fired again.
/// </summary>
internal static class MissedSlots
{
    public static async Task<bool> IsSupersededAsync(IJobExecutionContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!context.Recovering)
        {
            return context.NextFireTimeUtc is { } next && next <= now;
        }

        // The job's own trigger has the job's identity (DigestScheduler).
        var trigger = await context.Scheduler.GetTrigger(new TriggerKey(context.JobDetail.Key.Name, context.JobDetail.Key.Group), cancellationToken);
        return trigger?.PreviousFireTimeUtc is { } previous && context.ScheduledFireTimeUtc is { } slot && previous > slot;
    }
}
