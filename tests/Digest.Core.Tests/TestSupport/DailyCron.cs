using System.Globalization;

namespace Digest.Core.Tests.TestSupport;

/// <summary>
/// A stand-in for the host's cron evaluator that knows daily schedules only (<c>0 M H * * ?</c>), enough for the command
/// core's tests; the real dialect (Quartz's) is tested with the host's evaluator in Digest.Worker.Tests.
/// </summary>
internal sealed class DailyCron : ICron
{
    public string? Validate(string expression) => Daily(expression) is null ? "this test evaluator knows only '0 M H * * ?'" : null;

    public DateTimeOffset? NextAfter(string expression, TimeZoneInfo zone, DateTimeOffset after)
    {
        if (Daily(expression) is not { } time)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(after, zone);
        for (var day = local.Date; ; day = day.AddDays(1))
        {
            var wall = day + time.ToTimeSpan();
            var candidate = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (candidate > after)
            {
                return candidate.ToUniversalTime();
            }
        }
    }

    private static TimeOnly? Daily(string expression) =>
        expression.Split(' ') is ["0", var minute, var hour, "*", "*", "?"]
        && int.TryParse(minute, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m < 60
        && int.TryParse(hour, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h < 24
            ? new TimeOnly(h, m)
            : null;
}
