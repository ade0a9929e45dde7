using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Storage;

namespace Digest.Telegram;

/// <summary>
/// Delivers outbox messages (digests, alerts, notices, command replies and pager pages) to Telegram chats. The parts are
/// rendered from the stored payload the same way on every attempt, so a retry goes on from the part that failed.
/// </summary>
internal sealed class TelegramPublisher(TelegramSender sender, TelegramCallbacks callbacks) : IChannelPublisher
{
    public string Platform => TelegramAddress.Platform;

    public async Task<PublishResult> PublishAsync(ChannelRecord channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        var payload = message.Payload;
        var reply = payload switch
        {
            { Kind: OutboxPayload.ReplyKind } => payload.ReplyAs<CommandReply>() ?? CommandReply.Say(""),
            { Kind: OutboxPayload.AlertKind, Digest.Stories: [var story, ..] } => Replies.Alert(story, payload.Text ?? ""),
            { Digest: { } digest } => Replies.Digest(digest),
            _ => CommandReply.Say(payload.Text ?? ""),
        };
        var parts = TelegramRenderer.Render(reply, callbacks);
        var address = TelegramAddress.Parse(channel.Address);

        // A pager's page replaces the message whose button was pressed; a page too long for one message is sent anew.
        if (payload.EditOf is { } edited && int.TryParse(edited, System.Globalization.CultureInfo.InvariantCulture, out var messageId) && parts is [{ File: null } single])
        {
            var outcome = await sender.EditAsync(address, messageId, single, cancellationToken);
            if (outcome.Delivered)
            {
                await message.PartSentAsync();
            }

            return outcome;
        }

        return await sender.SendAsync(address, parts, message, cancellationToken);
    }
}
