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
    [InlineData("weekdays 07:30", "0 30 7 ? * MON-FRI", "UTC")]
    [InlineData("weekly mon 09:00 Europe/Kyiv", "0 0 9 ? * MON", "Europe/Kyiv")]
    [InlineData("weekly Friday 18:15", "0 15 18 ? * FRI", "UTC")]
    [InlineData("every 6h", "0 0 0/6 * * ?", "UTC")]
    [InlineData("every 30 minutes", "0 0/30 * * * ?", "UTC")]
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
    [InlineData("whenever", "Give a schedule in words or a cron expression: /schedule daily 08:00 Europe/Kyiv, /schedule weekdays 07:30, /schedule weekly mon 09:00, /schedule every 6h, or /schedule off.")]
    [InlineData("weekly someday 09:00", "'someday' is not a day of the week. Write it as mon, tue, … sun, for example: /schedule weekly mon 09:00")]
    [InlineData("every 90h", "'90h' is not an interval I can keep. Use hours up to 24 (every 6h) or minutes under 60 (every 30m).")]
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

    [Theory]
    [InlineData("daily 08:00", "daily at 08:00")]
    [InlineData("weekdays 7:30", "weekdays at 07:30")]
    [InlineData("weekly sun 21:00", "weekly on Sunday at 21:00")]
    [InlineData("every 6h", "every 6 hours")]
    [InlineData("every 1h", "every hour")]
    [InlineData("0 0 8,18 * * ?", "on the cron schedule '0 0 8,18 * * ?'")]
    [InlineData("off", "off")]
    public void InWords_SchedulesAsPeopleSayThem(string text, string words)
    {
        var spec = schedules.Parse(text.Split(' '), "UTC", out _);

        Schedules.InWords(spec.Cron).ShouldBe(words);
    }

    [Theory]
    [InlineData("* * * * * ?", "every 1 second")]
    [InlineData("0 * * * * ?", "every 1 minute")]
    [InlineData("every 5m", "every 5 minutes")]
    public void CheckInterval_TooFrequent_IsRefusedNamingTheSetting(string text, string shown)
    {
        var spec = schedules.Parse(text.Split(' '), "UTC", out var error);
        error.ShouldBeNull();

        var refusal = schedules.CheckInterval(spec, TimeSpan.FromMinutes(15), new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

        refusal.ShouldNotBeNull().ShouldContain($"would post a digest {shown}");
        refusal.ShouldContain("at least 15 minutes apart (Digest:MinScheduleInterval)");
    }

    [Theory]
    [InlineData("every 15m")]
    [InlineData("daily 08:00 Europe/Kyiv")]
    [InlineData("0 0 8,18 * * ?")]
    public void CheckInterval_OftenEnough_IsAccepted(string text)
    {
        var spec = schedules.Parse(text.Split(' '), "UTC", out _);

        schedules.CheckInterval(spec, TimeSpan.FromMinutes(15), new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero)).ShouldBeNull();
    }
}
