using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Digest.Core.Delivery;

internal static class DeliverySetup
{
    /// <summary>
    /// The outbox's sending side for the long-running bot: digests queued per channel, the console publisher, and the
    /// dispatcher that sends every channel's queue on this worker. Chat adapters add their publishers. Register it before
    /// the services that queue messages (the scheduler's jobs, the chat adapters): a host stops its services in reverse
    /// order, so the dispatcher still sends what they queue while they stop.
    /// </summary>
    public static IServiceCollection AddDigestDelivery(this IServiceCollection services)
    {
        services.AddValidatedOptions<DeliveryOptions>(DeliveryOptions.SectionName);
        services.TryAddSingleton<OutboxSignal>();
        services.AddSingleton<DigestDelivery>();
        services.AddSingleton<IChannelPublisher, ConsolePublisher>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        return services;
    }
}
