using System.Globalization;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Delivery;

/// <summary>What one turn of a channel's loop did: sent (or set aside) a message, so the next may follow; or stopped, to try again at <see cref="RetryAt"/> when a send failed.</summary>
internal sealed record DeliveryTurn(bool Sent, bool MoreMayFollow, DateTimeOffset? RetryAt = null)
{
    public static readonly DeliveryTurn Idle = new(false, false);
}

/// <summary>
/// Composes a channel's digest and delivers it through the outbox: recorded (with the channel's window moved) in one
/// transaction before it is sent, marked when the platform acknowledges it. A crash never loses a digest; a restart
/// sends what was not acknowledged and nothing that was. A send that fails is retried (after the platform's retry_after,
/// else an exponential backoff) until <see cref="DeliveryOptions.MaxAttempts"/>, then set aside so its channel goes on.
/// </summary>
internal sealed partial class DigestDelivery(
    IDeliveryStore deliveryStore,
    DigestComposer composer,
    CommunityScopes scopes,
    IEnumerable<IChannelPublisher> publishers,
    OutboxSignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DigestDelivery> logger,
    DigestMetrics? metrics = null)
{
    /// <summary>How long a worker may hold a message it claimed (renewed with each part sent) before another worker may take it over.</summary>
    internal static readonly TimeSpan ClaimTtl = TimeSpan.FromMinutes(2);

    /// <summary>How long recording an outcome may take: done even while stopping, so an acknowledged send is never left unrecorded.</summary>
    private static readonly TimeSpan BookkeepingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Composes the channel's digest now and queues it.</summary>
    public Task RunChannelAsync(long channelId, CancellationToken cancellationToken) => RunChannelAsync(channelId, null, cancellationToken);

    /// <summary>
    /// Composes the digest for one scheduled <paramref name="slot"/> and queues it for the channel's loop. The slot names
    /// the digest, so two workers running the same slot (a recovered job, a race) record it once; without a slot the digest
    /// is named by the time.
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

        // False means the slot was recorded already, or another worker covered one of these stories first: compose again
        // from what is still new. A slot recorded before keeps finding its key taken, and the loop ends. Nothing new is
        // not sent, unless the channel asked for a "nothing new" line.
        var scope = await scopes.ForAsync(channel.CommunityId, cancellationToken);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var next = await composer.ComposeForChannelAsync(channel, scope, cancellationToken);
            if (next.Digest.IsEmpty && !channel.SayNothingNew)
            {
                break;
            }

            if (await deliveryStore.EnqueueDigestAsync(channel.Id, key, OutboxPayload.ForDigest(next.Digest).Serialize(), now, next.Covered, cancellationToken)
                || next.Covered.Count == 0)
            {
                break;
            }

            channel = await deliveryStore.GetChannelAsync(channelId, cancellationToken) ?? channel;
        }

        signal.Wake(channel.Id);
    }

    /// <summary>
    /// Sends the channel's oldest message still to send, if it is due: claimed first so no other worker sends it meanwhile,
    /// each acknowledged part recorded, marked sent once the platform acknowledged it all. A failure is recorded with the
    /// attempt, the error and the next attempt's time; the last allowed failure, or a refusal, sets the message aside; a
    /// channel that is gone (blocked, removed, webhook deleted) is paused. When <paramref name="cancellationToken"/> is
    /// cancelled mid-send (the worker stops) the claim is given back uncounted, so the message goes out again at once.
    /// </summary>
    public async Task<DeliveryTurn> SendNextAsync(long channelId, CancellationToken cancellationToken)
    {
        var channel = await deliveryStore.GetChannelAsync(channelId, cancellationToken);
        var publisher = channel is null ? null : publishers.FirstOrDefault(p => p.Platform == channel.Platform);
        if (channel is null || publisher is null || channel.PausedReason is not null)
        {
            return DeliveryTurn.Idle;
        }

        // One claimer per turn: two turns of one channel in one process exclude each other as two workers do.
        var claimer = LocalProcess.NewHolderId();
        if (await deliveryStore.ClaimNextAsync(channel.Id, claimer, ClaimTtl, time.GetUtcNow(), cancellationToken) is not { } message)
        {
            return DeliveryTurn.Idle;
        }

        PublishResult result;
        var started = time.GetTimestamp();
        OutboxPayload? payload = null;
        try
        {
            payload = OutboxPayload.Deserialize(message.Payload);
            var outbound = new OutboundMessage(
                message.Id,
                payload,
                message.PartsSent,
                parts => RecordAsync(token => deliveryStore.RecordPartsSentAsync(message.Id, claimer, parts, time.GetUtcNow() + ClaimTtl, token)),
                message.Attempts > 0 ? message.CreatedAt : null);
            result = await publisher.PublishAsync(channel, outbound, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(token => deliveryStore.ReleaseClaimAsync(message.Id, claimer, token));
            throw;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            result = new PublishResult(false, $"unreadable message: {e.Message}", Rejected: true);
        }
        catch (Exception e)
        {
            // A timeout included: a failed attempt like any other.
            result = new PublishResult(false, Describe(e));
        }

        metrics?.MessageSent(channel.Platform, result.Delivered, time.GetElapsedTime(started));
        return await RecordOutcomeAsync(channel, message, payload, result);
    }

    private async Task<DeliveryTurn> RecordOutcomeAsync(ChannelRecord channel, OutboxMessage message, OutboxPayload? payload, PublishResult result)
    {
        var now = time.GetUtcNow();
        if (result.Delivered)
        {
            await RecordAsync(token => deliveryStore.MarkSentAsync(message.Id, now, token));
            return new DeliveryTurn(true, true);
        }

        var error = result.Error ?? "not delivered";
        var attempts = message.Attempts + 1;
        if (result.Permanent && payload is { FallbackChannel: { } fallbackChannel, FallbackPayload: { } fallback })
        {
            // A private answer the member can't receive: the chat it was asked in gets the fallback (a link to open the
            // private chat), and the answer is set aside rather than sent, long after, once the member opens the chat.
            var fallbackKey = string.Create(CultureInfo.InvariantCulture, $"fallback:{message.Id}");
            var reason = $"refused: {error}; the fallback went to channel {fallbackChannel}";
            await RecordAsync(async token =>
            {
                await deliveryStore.EnqueueAsync(fallbackChannel, OutboxPayload.ReplyKind, fallbackKey, fallback, now, token);
                await deliveryStore.SetAsideAsync(message.Id, reason, now, token);
                await deliveryStore.SetChannelPausedAsync(channel.Id, error, token);
            });
            signal.Wake(fallbackChannel);
            LogSetAside(logger, message.Id, channel.Platform, channel.ShownAddress, reason);
            return DeliveryTurn.Idle;
        }

        if (result.Permanent)
        {
            await RecordAsync(async token =>
            {
                await deliveryStore.MarkFailedAsync(message.Id, error, now, token);
                await deliveryStore.SetChannelPausedAsync(channel.Id, error, token);
            });
            LogPaused(logger, channel.Platform, channel.ShownAddress, error);
            return DeliveryTurn.Idle;
        }

        if (result.Rejected || attempts >= options.Value.MaxAttempts)
        {
            var reason = result.Rejected ? $"refused: {error}" : $"gave up after {attempts} attempts: {error}";
            await RecordAsync(token => deliveryStore.SetAsideAsync(message.Id, reason, now, token));
            LogSetAside(logger, message.Id, channel.Platform, channel.ShownAddress, reason);
            return new DeliveryTurn(false, true);
        }

        var retryAt = now + (result.RetryAfter ?? options.Value.Backoff(attempts));
        await RecordAsync(token => deliveryStore.MarkFailedAsync(message.Id, error, retryAt, token));
        LogNotDelivered(logger, channel.Platform, channel.ShownAddress, attempts, error, retryAt);
        return new DeliveryTurn(false, false, retryAt);
    }

    /// <summary>Records an outcome even while the worker stops (not on the shutdown token), within a bound of its own.</summary>
    private async Task RecordAsync(Func<CancellationToken, Task> record)
    {
        using var bound = new CancellationTokenSource(BookkeepingTimeout, time);
        await record(bound.Token);
    }

    private static string Describe(Exception e) => e switch
    {
        TimeoutException => e.Message,
        OperationCanceledException => "no answer in time",
        _ when e.InnerException is { Message.Length: > 0 } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Platform} {ChannelAddress} failed (attempt {Attempts}): {Error}; next attempt at {RetryAt:HH:mm:ss}")]
    private static partial void LogNotDelivered(ILogger logger, string platform, string channelAddress, int attempts, string error, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} to {Platform} {ChannelAddress} set aside: {Reason}; the channel goes on with the next one")]
    private static partial void LogSetAside(ILogger logger, long messageId, string platform, string channelAddress, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Platform} {ChannelAddress} paused: {Error}")]
    private static partial void LogPaused(ILogger logger, string platform, string channelAddress, string error);
}
