using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Storage;

namespace Digest.Telegram;

/// <summary>Delivers outbox messages (digests, alerts, notices) to Telegram chats; the outbox makes it once per message.</summary>
internal sealed class TelegramPublisher(TelegramSender sender, TelegramCallbacks callbacks) : IChannelPublisher
{
    public string Platform => TelegramAddress.Platform;

    public async Task<PublishResult> PublishAsync(ChannelRecord channel, OutboxPayload payload, CancellationToken cancellationToken)
    {
        var reply = payload switch
        {
            { Kind: OutboxPayload.AlertKind, Digest.Stories: [var story, ..] } => Replies.Alert(story, payload.Text ?? ""),
            { Digest: { } digest } => Replies.Digest(digest),
            _ => CommandReply.Say(payload.Text ?? ""),
        };
        var outcome = await sender.SendAsync(TelegramAddress.Parse(channel.Address), TelegramRenderer.Render(reply, callbacks), cancellationToken);
        return outcome.Delivered ? PublishResult.Ok : new PublishResult(false, outcome.Error, outcome.Permanent);
    }
}
