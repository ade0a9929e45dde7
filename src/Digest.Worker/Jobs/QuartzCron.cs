using Digest.Core;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>Cron evaluation with Quartz's own parser: a schedule is accepted and described exactly as the scheduler will run it.</summary>
internal sealed class QuartzCron : ICron
{
    public string? Validate(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    public DateTimeOffset? NextAfter(string expression, TimeZoneInfo zone, DateTimeOffset after) =>
        CronExpression.TryParse(expression, out var cron) ? cron!.WithTimeZone(zone).GetNextValidTimeAfter(after) : null;
}
