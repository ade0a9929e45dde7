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
    IDeliveryStore deliveryStore,
    DigestComposer composer,
    CommunityScopes scopes,
    IEnumerable<IChannelPublisher> publishers,
    TimeProvider time,
    ILogger<DigestDelivery> logger)
{
    /// <summary>How long a worker may take to send a claimed message before another worker may take it over.</summary>
    internal static readonly TimeSpan ClaimTtl = TimeSpan.FromMinutes(1);

    private readonly string worker = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Composes the channel's digest now and sends it.</summary>
    public Task RunChannelAsync(long channelId, CancellationToken cancellationToken) => RunChannelAsync(channelId, null, cancellationToken);

    /// <summary>
    /// Composes and sends the digest for one scheduled <paramref name="slot"/>. The slot names the digest, so two workers
    /// running the same slot (a recovered job, a race) record it once; without a slot the digest is named by the time.
    /// </summary>
    public async Task RunChannelAsync(long channelId, DateTimeOffset? slot, CancellationToken cancellationToken)
    {
        var channel = await deliveryStore.GetChannelAsync(channelId, cancellationToken);
        if (channel is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var key = string.Create(CultureInfo.InvariantCulture, $"digest:{channel.Id}:{(slot ?? now).ToUnixTimeMilliseconds()}");

        // False means the slot was recorded already, or another worker recorded one of these stories first: compose again
        // from what is still unsent. A slot recorded before keeps finding its key taken, and the loop ends.
        var scope = await scopes.ForAsync(channel.CommunityId, cancellationToken);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var digest = await composer.ComposeForChannelAsync(channel, scope, cancellationToken);
            var stories = digest.Stories.Select(s => (s.Id, s.LastSeen)).ToList();
            if (await deliveryStore.EnqueueDigestAsync(channel.Id, key, OutboxPayload.ForDigest(digest).Serialize(), now, stories, cancellationToken)
                || stories.Count == 0)
            {
                break;
            }

            channel = await deliveryStore.GetChannelAsync(channelId, cancellationToken) ?? channel;
        }

        await FlushAsync(channel, cancellationToken);
    }

    /// <summary>
    /// Sends a channel's unacknowledged messages in order, each claimed first so no other worker sends it meanwhile, and
    /// marked once the platform acknowledged it. Stops at the first failure so order is kept; a worker that dies holding
    /// a claim leaves the message to whoever flushes the channel after the claim expires.
    /// </summary>
    public async Task<int> FlushAsync(ChannelRecord channel, CancellationToken cancellationToken)
    {
        var publisher = publishers.FirstOrDefault(p => p.Platform == channel.Platform);
        if (publisher is null || channel.PausedReason is not null)
        {
            return 0;
        }

        // One claimer per flush: two flushes of one channel in one process exclude each other as two workers do.
        var claimer = $"{worker}:{Guid.NewGuid():N}";
        var sent = 0;
        while (sent < 100 && await deliveryStore.ClaimNextAsync(channel.Id, claimer, ClaimTtl, time.GetUtcNow(), cancellationToken) is { } message)
        {
            PublishResult result;
            try
            {
                result = await publisher.PublishAsync(channel, OutboxPayload.Deserialize(message.Payload), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping mid-send: the claim is given back, so a restart (or another worker) sends it again at once
                // rather than after the claim expires. Only a worker that dies outright leaves its claim to expire.
                await deliveryStore.MarkFailedAsync(message.Id, "interrupted", CancellationToken.None);
                throw;
            }
            catch (Exception e)
            {
                result = new PublishResult(false, e.Message);
            }

            if (!result.Delivered)
            {
                await deliveryStore.MarkFailedAsync(message.Id, result.Error ?? "not delivered", cancellationToken);
                if (result.Permanent)
                {
                    await deliveryStore.SetChannelPausedAsync(channel.Id, result.Error, cancellationToken);
                }

                LogNotDelivered(logger, channel.Platform, channel.ShownAddress, result.Error);
                break;
            }

            await deliveryStore.MarkSentAsync(message.Id, time.GetUtcNow(), cancellationToken);
            sent++;
        }

        return sent;
    }

    /// <summary>Flushes every channel: after a restart, what was recorded but not acknowledged goes out.</summary>
    public async Task FlushAllAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in await deliveryStore.GetChannelsAsync(cancellationToken))
        {
            await FlushAsync(channel, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Platform} {ChannelAddress} failed: {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string platform, string channelAddress, string? error);
}
