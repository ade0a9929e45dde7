using Digest.Discord.Commands;
using Digest.Discord.Gateway;
using Digest.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord;

/// <summary>The bot: registers the commands, then keeps the gateway connected. Does nothing without a bot token.</summary>
internal sealed partial class DiscordBotService(
    IOptions<DiscordOptions> options,
    CommandRegistrar registrar,
    DiscordGateway gateway,
    ILogger<DiscordBotService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.HasBotToken)
        {
            Log.NoToken(logger);
            return;
        }

        try
        {
            await registrar.SyncAsync(stoppingToken);
        }
        catch (DiscordApiException ex)
        {
            Log.RegistrationFailed(logger, ex, ex.Message);
        }

        await gateway.RunAsync(stoppingToken);
    }

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Information, "Discord bot not started: Discord:BotToken is not set")]
        public static partial void NoToken(ILogger logger);

        [LoggerMessage(71, LogLevel.Error, "Discord command registration failed: {Reason}; the bot runs with the commands Discord already has")]
        public static partial void RegistrationFailed(ILogger logger, Exception exception, string reason);
    }
}
