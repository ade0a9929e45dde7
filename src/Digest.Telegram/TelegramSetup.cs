using Digest.Core;
using Digest.Core.Delivery;
using Digest.Core.Leasing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Digest.Telegram;

internal static class TelegramSetup
{
    public const string HttpClientName = "telegram";

    /// <summary>
    /// The Telegram adapter: receiver (long polling or webhook), inbox, command adapter, renderer and publisher. Registers
    /// nothing without <c>Telegram:BotToken</c>, so the bot runs without Telegram until a token is set.
    /// Needs the command core (<c>AddDigestCommands</c>), delivery (<c>AddDigestDelivery</c>) and the host's scheduler.
    /// </summary>
    public static IServiceCollection AddDigestTelegram(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{TelegramOptions.SectionName}:{nameof(TelegramOptions.BotToken)}"]))
        {
            return services;
        }

        services.AddValidatedOptions<TelegramOptions>(TelegramOptions.SectionName);

        // One long-lived client for the singletons below; pooled connections are renewed so DNS changes are seen.
        // The outer bound; each call has its own, shorter timeout (Telegram:RequestTimeout, getUpdates Telegram:PollTimeout more).
        services.AddHttpClient(HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                client.Timeout = options.PollTimeout + options.RequestTimeout + TimeSpan.FromSeconds(5);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;

            // 429s are the outbox's to retry (TelegramSender reports retry_after and pauses the chat), not the library's.
            var clientOptions = new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl) { RetryCount = 0 };
            return new TelegramBotClient(clientOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        });

        services.AddSingleton<TelegramRateLimiter>();
        services.AddSingleton<TelegramSendGate>();
        services.AddSingleton<TelegramCallbacks>();
        services.AddSingleton<TelegramIdentity>();
        services.AddSingleton<TelegramSender>();
        services.AddSingleton<TelegramModerators>();
        services.AddSingleton<TelegramUpdateHandler>();
        services.AddSingleton<IChannelPublisher, TelegramPublisher>();

        // On every worker, whoever receives: its sweep handles what a worker that died left in the inbox.
        services.AddSingleton<TelegramInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<TelegramInbox>());
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
