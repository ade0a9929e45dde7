using Digest.Discord;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Digest.Worker.Tests.Cli;

public sealed class DiscordOptionsTests
{
    [Theory]
    [InlineData("--Discord:RequestTimeout=00:00:00", "Discord:RequestTimeout: The field RequestTimeout must be between")]
    [InlineData("--Discord:DefaultSchedule=at eight", "Discord:DefaultSchedule: 'at eight' is not a Quartz cron expression")]
    [InlineData("--Discord:DefaultTimeZone=Mars/Olympus", "Discord:DefaultTimeZone: 'Mars/Olympus' is not a known time zone id")]
    [InlineData("--Discord:GuildIds:0=my-server", "Discord:GuildIds: 'my-server' is not a server id")]
    [InlineData("--Discord:ApiBaseUrl=ftp://discord.example/api", "Discord:ApiBaseUrl: 'ftp://discord.example/api' is not an http:// or https:// URL")]
    [InlineData("--Discord:PublicKey=not-hex", "Discord:PublicKey: must be the 64 hex characters")]
    public void Run_BadDiscordSetting_StopsAtStartNamingTheKey(string setting, string message)
    {
        // The bot's own composition root, as `digest run` builds it; the CLI prints the failures after "Configuration error: ".
        using var host = DigestHost.Build(HostMode.Bot, [setting, "--Web:Urls=http://127.0.0.1:0"], TextWriter.Null, "text");

        var error = Should.Throw<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value);

        error.Failures.ShouldHaveSingleItem().ShouldStartWith(message);
    }
}
