using Microsoft.Extensions.DependencyInjection;

namespace Digest.Core.Commands;

internal static class CommandsSetup
{
    /// <summary>
    /// The platform-neutral command core, for the long-running bot. The host provides
    /// <see cref="IDigestScheduling"/>; chat adapters call <see cref="CommandDispatcher.HandleAsync"/>.
    /// </summary>
    public static IServiceCollection AddDigestCommands(this IServiceCollection services)
    {
        services.AddSingleton<ReadCommands>();
        services.AddSingleton<FeedCommands>();
        services.AddSingleton<CommunityCommands>();
        services.AddSingleton<SubscriptionCommands>();
        services.AddSingleton<CommandDispatcher>();
        return services;
    }
}
