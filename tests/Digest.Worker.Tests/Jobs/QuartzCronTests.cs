using Digest.Core.Commands;
using Digest.Worker.Jobs;

namespace Digest.Worker.Tests.Jobs;

/// <summary><c>/schedule</c> and "next digest at" with the host's cron evaluator: Quartz's dialect, as the scheduler runs it.</summary>
public sealed class QuartzCronTests
{
    private readonly Schedules schedules = new(new QuartzCron());

    [Theory]
    [InlineData("daily 08:00", "0 0 8 * * ?", "UTC")]
    [InlineData("daily 7:30 Europe/Kyiv", "0 30 7 * * ?", "Europe/Kyiv")]
    [InlineData("0 0 8,18 * * ? America/New_York", "0 0 8,18 * * ?", "America/New_York")]
    [InlineData("0 8 * * 1-5", "0 0 8 ? * 2-6", "UTC")]
    [InlineData("*/30 * * * *", "0 */30 * * * ?", "UTC")]
    [InlineData("off", "off", "UTC")]
    public void Parse_ValidSchedule_GivesQuartzCronAndZone(string text, string cron, string zone)
    {
        var spec = schedules.Parse(text.Split(' '), "UTC", out var error);

        error.ShouldBeNull();
        spec.ShouldBe(new ScheduleSpec(cron, zone));
    }

    [Theory]
    [InlineData("daily 25:00", "'25:00' is not a time of day. Write it as HH:MM, for example: /schedule daily 08:00 Europe/Kyiv")]
    [InlineData("daily 08:00 Mars/Olympus", "'Mars/Olympus' is not a time zone I know. Use an IANA id such as UTC, Europe/Kyiv or America/New_York.")]
    [InlineData("whenever", "Give a time or a cron expression: /schedule daily 08:00 Europe/Kyiv, /schedule 0 0 8,18 * * ? UTC, or /schedule off.")]
    public void Parse_BadSchedule_SaysWhatIsWrong(string text, string message)
    {
        schedules.Parse(text.Split(' '), "UTC", out var error);

        error.ShouldBe(message);
    }

    [Fact]
    public void Parse_InvalidCron_NamesTheExpression()
    {
        schedules.Parse("0 61 8 * * ?".Split(' '), "UTC", out var error);

        error.ShouldNotBeNull().ShouldStartWith("'0 61 8 * * ?' is not a valid cron expression:");
    }

    [Fact]
    public void Next_DailyInKyiv_IsEightLocalTime()
    {
        var next = schedules.Next("0 0 8 * * ?", "Europe/Kyiv", new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

        next.ShouldBe(new DateTimeOffset(2026, 1, 11, 6, 0, 0, TimeSpan.Zero));
        Schedules.Describe(next!.Value, "Europe/Kyiv").ShouldBe("Sun 11 Jan 2026 08:00 (Europe/Kyiv)");
        schedules.Next(Schedules.Off, "UTC", DateTimeOffset.UnixEpoch).ShouldBeNull();
    }
}
