namespace Digest.Worker.Tests.Cli;

public sealed class TelegramOptionsTests
{
    [Theory]
    [InlineData("--Telegram:DefaultTimeZone=Mars/Olympus", "Telegram:DefaultTimeZone: 'Mars/Olympus' is not a known time zone id (IANA, e.g. 'Europe/Kyiv')")]
    [InlineData("--Telegram:DefaultSchedule=at eight", "Telegram:DefaultSchedule: 'at eight' is not a Quartz cron expression (seconds first, e.g. '0 0 8 * * ?')")]
    [InlineData("--Telegram:ApiBaseUrl=ftp://bots.example", "Telegram:ApiBaseUrl: 'ftp://bots.example' is not an http:// or https:// URL")]
    [InlineData("--Telegram:WebhookUrl=ftp://bot.example/hook", "Telegram:WebhookUrl: 'ftp://bot.example/hook' is not an http:// or https:// URL")]
    public async Task Run_BadTelegramSetting_StopsAtStartNamingTheKey(string setting, string message)
    {
        // With a token: without one, Telegram is off and its settings unused.
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["run", "--Telegram:BotToken=123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789", setting]);

        exit.ShouldBe(3);
        errors.Trim().ShouldBe("Configuration error: " + message);
    }
}
