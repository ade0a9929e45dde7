using System.Globalization;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Digest.Core.Delivery;

/// <summary>
/// Composes a channel's digest and delivers it through the outbox: recorded (with the channel's window moved) in one
/// transaction before it is sent, marked when the platform acknowledges it. A crash never loses a digest; a restart
/// sends what was not acknowledged and nothing that was.
/// </summary>
public sealed partial class DigestDelivery(
    IDigestStore store,
    DigestComposer composer,
    CommunityScopes scopes,
    IEnumerable<IChannelPublisher> publishers,
    TimeProvider time,
    ILogger<DigestDelivery> logger)
{
    public async Task RunChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        var channel = await store.GetChannelAsync(channelId, cancellationToken);
        if (channel is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var scope = await scopes.ForAsync(channel.CommunityId, cancellationToken);
        var digest = await composer.ComposeForChannelAsync(channel, scope, cancellationToken);
        var key = string.Create(CultureInfo.InvariantCulture, $"digest:{channel.Id}:{now.ToUnixTimeMilliseconds()}");
        var stories = digest.Stories.Select(s => (s.Id, s.LastSeen)).ToList();
        await store.EnqueueDigestAsync(channel.Id, key, OutboxPayload.ForDigest(digest).Serialize(), now, stories, cancellationToken);
        await FlushAsync(channel, cancellationToken);
    }

    /// <summary>Sends a channel's unacknowledged messages in order; stops at the first failure so order is kept.</summary>
    public async Task<int> FlushAsync(ChannelRecord channel, CancellationToken cancellationToken)
    {
        var publisher = publishers.FirstOrDefault(p => p.Platform == channel.Platform);
        if (publisher is null || channel.PausedReason is not null)
        {
            return 0;
        }

        var sent = 0;
        foreach (var message in await store.GetPendingAsync(channel.Id, 100, cancellationToken))
        {
            PublishResult result;
            try
            {
                result = await publisher.PublishAsync(channel, OutboxPayload.Deserialize(message.Payload), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                result = new PublishResult(false, e.Message);
            }

            if (!result.Delivered)
            {
                await store.MarkFailedAsync(message.Id, result.Error ?? "not delivered", cancellationToken);
                if (result.Permanent)
                {
                    await store.SetChannelPausedAsync(channel.Id, result.Error, cancellationToken);
                }

                LogNotDelivered(logger, channel.Platform, channel.ShownAddress, result.Error);
                break;
            }

            await store.MarkSentAsync(message.Id, time.GetUtcNow(), cancellationToken);
            sent++;
        }

        return sent;
    }

    /// <summary>Flushes every channel: after a restart, what was recorded but not acknowledged goes out.</summary>
    public async Task FlushAllAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in await store.GetChannelsAsync(cancellationToken))
        {
            await FlushAsync(channel, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Platform} {ChannelAddress} failed: {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string platform, string channelAddress, string? error);
}
