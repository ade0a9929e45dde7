using Digest.Core;
using Digest.Core.Delivery;
using Digest.Core.Leasing;
using Digest.Core.Storage;
using Digest.Discord.Commands;
using Digest.Discord.Gateway;
using Digest.Discord.Interactions;
using Digest.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Digest.Discord;

internal static class DiscordSetup
{
    /// <summary>
    /// The Discord adapter: REST client, gateway bot, command registration, publisher. The host must also register an
    /// <see cref="Interactions.IDiscordInteractionHandler"/> (<see cref="AddDigestDiscordCommands"/>) and, for the gateway
    /// bot, the <see cref="ILeaseStore"/> its lease and session live in. With no Discord:BotToken the bot does not start;
    /// the publisher still serves webhook-bound channels.
    /// </summary>
    public static IServiceCollection AddDigestDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<DiscordOptions>(DiscordOptions.SectionName);

        services.AddSingleton<DiscordRateLimiter>();
        // No resilience handler: the client's own loop retries by Discord's rules (retry_after, buckets, invalid-request budget).
        services.AddHttpClient<DiscordRestClient>(client =>
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", DiscordRestClient.UserAgent);

            // Each call has its own timeout (Discord:RequestTimeout), reported as a failure, never as a cancellation.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });

        services.AddSingleton<CommandRegistrar>();
        services.AddSingleton<InteractionResponder>();
        services.AddSingleton<InteractionReplayGuard>();
        services.AddSingleton<DiscordGateway>();
        services.AddSingleton<DiscordBotService>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.SectionName}:{nameof(DiscordOptions.BotToken)}"]))
        {
            // One gateway session per bot: on the worker holding the lease (with SQLite, the only worker).
            services.AddLeasedWork(DiscordBotService.LeaseName, (sp, ct) => sp.GetRequiredService<DiscordBotService>().RunAsync(sp.GetRequiredService<ILeaseStore>(), ct));
        }

        services.AddSingleton<IChannelPublisher, DiscordPublisher>();
        return services;
    }

    /// <summary>Slash commands answered by the command core. Needs <c>AddDigestCommands</c> and the host's scheduler.</summary>
    public static IServiceCollection AddDigestDiscordCommands(this IServiceCollection services)
    {
        services.AddSingleton<DiscordPager>();
        services.AddSingleton<IDiscordInteractionHandler, DiscordCommandHandler>();
        return services;
    }
}
