using Digest.Core;
using Digest.Core.Delivery;
using Digest.Core.Leasing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Digest.Telegram;

public static class TelegramSetup
{
    public const string HttpClientName = "telegram";

    /// <summary>
    /// The Telegram adapter: receiver (long polling or webhook), command adapter, renderer and publisher. Registers
    /// nothing without <c>Telegram:BotToken</c>, so the bot runs without Telegram until a token is set.
    /// Needs the command core (<c>AddDigestCommands</c>) and the host's scheduler.
    /// </summary>
    public static IServiceCollection AddDigestTelegram(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{TelegramOptions.SectionName}:{nameof(TelegramOptions.BotToken)}"]))
        {
            return services;
        }

        services.AddValidatedOptions<TelegramOptions>(TelegramOptions.SectionName);

        // One long-lived client for the singletons below; pooled connections are renewed so DNS changes are seen.
        services.AddHttpClient(HttpClientName, (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<TelegramOptions>>().Value.PollTimeout + TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;

            // 429s are handled by TelegramSender (pausing the chat in the rate limiter), not retried blindly by the library.
            var clientOptions = new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl) { RetryCount = 0 };
            return new TelegramBotClient(clientOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        });

        services.AddSingleton<TelegramRateLimiter>();
        services.AddSingleton<TelegramCallbacks>();
        services.AddSingleton<TelegramIdentity>();
        services.AddSingleton<TelegramSender>();
        services.AddSingleton<TelegramModerators>();
        services.AddSingleton<TelegramUpdateHandler>();
        services.AddSingleton<IChannelPublisher, TelegramPublisher>();
        services.AddSingleton<TelegramReceiver>();
        if (configuration[$"{TelegramOptions.SectionName}:{nameof(TelegramOptions.Mode)}"] == "webhook")
        {
            // Registers the webhook with Telegram; the updates arrive on the web host (TelegramWebhook.MapTelegramWebhook).
            services.AddHostedService(sp => sp.GetRequiredService<TelegramReceiver>());
        }
        else
        {
            // One long poll per bot: on the worker holding the lease (with SQLite, the only worker).
            services.AddLeasedWork(TelegramReceiver.LeaseName, (sp, ct) => sp.GetRequiredService<TelegramReceiver>().RunAsync(ct));
        }

        return services;
    }
}
