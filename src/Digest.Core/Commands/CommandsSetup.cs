using Digest.Core.Delivery;
using Digest.Core.Pipeline;
using Digest.Core.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Digest.Core.Commands;

public static class CommandsSetup
{
    /// <summary>
    /// The platform-neutral command core and alerts, for the long-running bot. The host provides
    /// <see cref="IDigestScheduling"/>; chat adapters call <see cref="CommandDispatcher.HandleAsync"/>.
    /// </summary>
    public static IServiceCollection AddDigestCommands(this IServiceCollection services)
    {
        services.AddSingleton<ReadCommands>();
        services.AddSingleton<FeedCommands>();
        services.AddSingleton<CommunityCommands>();
        services.AddSingleton<SubscriptionCommands>();
        services.AddSingleton<CommandDispatcher>();

        // Alerts are queued in the outbox and their channels woken; whoever sends them (AddDigestDelivery) listens.
        services.TryAddSingleton<OutboxSignal>();
        services.AddSingleton<IStoryObserver, AlertObserver>();
        return services;
    }
}
