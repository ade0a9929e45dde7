using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>
/// Slots a schedule missed while the database was away or the scheduler stalled make one run, not one each. Quartz treats
/// a trigger late by more than its misfire threshold (60 s) as misfired and fires it once (<c>FireAndProceed</c>,
/// <c>NowWithExistingCount</c>), but one late by less is simply fired, then its next slot — already past too — right
/// after it: a 37 s PostgreSQL outage of a channel scheduled every 5 s fired eight digests within a second of the
/// restart, seven of them "nothing new". A firing whose slot is no later than the job's last run (the channel's last
/// digest, the feed's last poll, kept in the store so every worker sees it) is covered by that run and skipped. The
/// first firing of such a burst runs, the rest are covered; under load that never lets the scheduler catch up, every
/// other slot still runs, never none.
/// </summary>
internal static class MissedSlots
{
    public static bool CoveredBy(IJobExecutionContext context, DateTimeOffset? lastRun) =>
        lastRun is { } last && (context.ScheduledFireTimeUtc ?? context.FireTimeUtc) <= last;
}
