using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Digest.Telegram;

/// <summary>The bot's username, learned from getMe at start; commands addressed to other bots are ignored.</summary>
internal sealed class TelegramIdentity
{
    public string? Username { get; set; }
}

/// <summary>
/// Turns Telegram updates into the platform-neutral command model and queues the reply in the chat's outbox (sent by the
/// chat's loop, retried after a 5xx or a reset; its key is the update's, so handling an update again never replies twice):
/// commands in messages, pager buttons, the bot joining or leaving a chat, and a group becoming a supergroup. One bad
/// update is logged and skipped.
/// </summary>
internal sealed partial class TelegramUpdateHandler(
    ITelegramBotClient bot,
    CommandDispatcher dispatcher,
    TelegramSender sender,
    TelegramModerators moderators,
    TelegramCallbacks callbacks,
    TelegramIdentity identity,
    IDeliveryStore deliveryStore,
    IDigestScheduling scheduling,
    OutboxSignal outbox,
    TimeProvider time,
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdateHandler> logger)
{
    /// <summary>The most an attached OPML file may weigh.</summary>
    private const long AttachmentMaxBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<long, byte> scheduled = new();

    /// <summary>Handles one update taken from the inbox; <paramref name="inboxId"/> names its reply in the outbox.</summary>
    public async Task HandleAsync(Update update, long inboxId, CancellationToken cancellationToken)
    {
        try
        {
            switch (update)
            {
                case { Message: { } message }:
                    await OnMessageAsync(message, inboxId, cancellationToken);
                    break;
                case { CallbackQuery: { } query }:
                    await OnCallbackAsync(query, inboxId, cancellationToken);
                    break;
                case { MyChatMember: { } membership }:
                    await OnMembershipAsync(membership, cancellationToken);
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e, update.Id);
        }
    }

    private async Task OnMessageAsync(Message message, long inboxId, CancellationToken cancellationToken)
    {
        if (message.MigrateToChatId is { } newChat)
        {
            await sender.RebindAsync(new TelegramAddress(message.Chat.Id, null), newChat, cancellationToken);
            return;
        }

        var parsed = CommandParser.Parse(message.Text ?? message.Caption, identity.Username);
        if (parsed is null || message.From is not { } from)
        {
            return;
        }

        var name = parsed.Name == "start" ? "help" : parsed.Name;
        var address = new TelegramAddress(message.Chat.Id, message.IsTopicMessage ? message.MessageThreadId : null);
        var channel = await EnsureChannelAsync(message.Chat, address, cancellationToken);
        string? attachment = null;
        if (name == "feeds" && message.Document is { } document)
        {
            var (text, problem) = await DownloadAsync(document, cancellationToken);
            if (problem is not null)
            {
                // A file we couldn't get is said so, not taken for a missing one.
                await ReplyAsync(channel, CommandReply.Refuse(problem), inboxId, null, cancellationToken);
                return;
            }

            attachment = text;
        }

        var request = new CommandRequest(
            name,
            parsed.Arguments,
            Caller(from),
            TelegramAddress.Community(message.Chat.Id),
            channel,
            await RightsAsync(message.Chat, from, cancellationToken),
            new ChannelDefaults(options.Value.DefaultSchedule, options.Value.DefaultTimeZone),
            Attachment: attachment);
        var reply = await dispatcher.HandleAsync(request, cancellationToken);
        if (reply.Private && message.Chat.Type != ChatType.Private)
        {
            await AnswerPrivatelyAsync(from, name, channel, reply, inboxId, cancellationToken);
            return;
        }

        await ReplyAsync(channel, reply, inboxId, null, cancellationToken);
    }

    /// <summary>
    /// A member's own settings (/alerts, /subscribe) are answered in the private chat with them, never in the group. A bot
    /// may not write first to someone who never started it (or who blocked it): then the group gets only a link that opens
    /// the private chat — at once when the private chat is known to be closed, else when the private send is refused.
    /// </summary>
    private async Task AnswerPrivatelyAsync(User from, string command, ChannelRecord group, CommandReply reply, long inboxId, CancellationToken cancellationToken)
    {
        var note = CommandReply.Say(
            $"{from.FirstName}, I answer /{command} in a private chat, but I can't write to you yet. Open https://t.me/{identity.Username}?start=private, press Start, then send /{command} again.");
        var key = string.Create(CultureInfo.InvariantCulture, $"telegram:reply:{inboxId}");

        // The private chat's channel, created without a digest and left paused if it is: only the member opens it again.
        var own = await deliveryStore.EnsureChannelAsync(
            TelegramAddress.Platform,
            new TelegramAddress(from.Id, null).ToString(),
            null,
            Schedules.Off,
            options.Value.DefaultTimeZone,
            cancellationToken);
        if (own.PausedReason is not null)
        {
            await ReplyAsync(group, note, inboxId, null, cancellationToken);
            return;
        }

        var payload = OutboxPayload.ForPrivateReply(reply, group.Id, OutboxPayload.ForReply(note).Serialize());
        if (await deliveryStore.EnqueueAsync(own.Id, OutboxPayload.ReplyKind, key, payload.Serialize(), time.GetUtcNow(), cancellationToken))
        {
            outbox.Wake(own.Id);
        }
    }

    private async Task OnCallbackAsync(CallbackQuery query, long inboxId, CancellationToken cancellationToken)
    {
        var page = callbacks.Decode(query.Data);
        if (page is null || query.Message is not { } message)
        {
            await AnswerAsync(query, "This list has expired; run the command again.", cancellationToken);
            return;
        }

        var address = new TelegramAddress(message.Chat.Id, message.IsTopicMessage ? message.MessageThreadId : null);
        var channel = await EnsureChannelAsync(message.Chat, address, cancellationToken);
        var request = new CommandRequest(
            page.Command,
            page.Argument,
            Caller(query.From),
            TelegramAddress.Community(message.Chat.Id),
            channel,
            await RightsAsync(message.Chat, query.From, cancellationToken),
            new ChannelDefaults(options.Value.DefaultSchedule, options.Value.DefaultTimeZone),
            page.Page);
        var reply = await dispatcher.HandleAsync(request, cancellationToken);
        await AnswerAsync(query, null, cancellationToken);
        await ReplyAsync(channel, reply, inboxId, message.MessageId, cancellationToken);
    }

    /// <summary>
    /// Queues the reply for the chat's loop and wakes it. <paramref name="editOf"/>: the message whose pager button was
    /// pressed, which the reply's page replaces.
    /// </summary>
    private async Task ReplyAsync(ChannelRecord channel, CommandReply reply, long inboxId, int? editOf, CancellationToken cancellationToken)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"telegram:reply:{inboxId}");
        var payload = OutboxPayload.ForReply(reply, editOf?.ToString(CultureInfo.InvariantCulture));
        if (await deliveryStore.EnqueueAsync(channel.Id, OutboxPayload.ReplyKind, key, payload.Serialize(), time.GetUtcNow(), cancellationToken))
        {
            outbox.Wake(channel.Id);
        }
    }

    /// <summary>Stops the button's spinner; best effort (the page itself comes through the outbox).</summary>
    private async Task AnswerAsync(CallbackQuery query, string? text, CancellationToken cancellationToken)
    {
        try
        {
            await PlatformCall.WithTimeoutAsync(token => bot.AnswerCallbackQuery(query.Id, text, cancellationToken: token), options.Value.RequestTimeout, time, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAnswerFailed(logger, query.Id, e.Message);
        }
    }

    /// <summary>Added to a group: it gets a channel on the default schedule. Removed, or blocked in private: the channel pauses.</summary>
    private async Task OnMembershipAsync(ChatMemberUpdated membership, CancellationToken cancellationToken)
    {
        var address = new TelegramAddress(membership.Chat.Id, null);
        if (membership.NewChatMember.Status is ChatMemberStatus.Member or ChatMemberStatus.Administrator)
        {
            await EnsureChannelAsync(membership.Chat, address, cancellationToken);
            return;
        }

        if (membership.NewChatMember.Status is ChatMemberStatus.Left or ChatMemberStatus.Kicked
            && await deliveryStore.FindChannelAsync(TelegramAddress.Platform, address.ToString(), cancellationToken) is { } channel)
        {
            var reason = membership.Chat.Type == ChatType.Private ? "the user blocked the bot" : "the bot was removed from the chat";
            await deliveryStore.SetChannelPausedAsync(channel.Id, reason, cancellationToken);
            LogPaused(logger, membership.Chat.Id, reason);
        }
    }

    /// <summary>
    /// The chat's channel: created on first sight (groups on the default schedule, private chats without digests until
    /// /subscribe), scheduled once per process, and unpaused — a chat that talks to the bot can be reached again.
    /// </summary>
    private async Task<ChannelRecord> EnsureChannelAsync(Chat chat, TelegramAddress address, CancellationToken cancellationToken)
    {
        // A private channel's community is the one its owner subscribed in (set by /subscribe or /alerts), so it is left alone here.
        // A forum topic gets digests only where a moderator schedules them (/schedule in that topic); the group's main
        // chat gets the default schedule.
        var isPrivate = chat.Type == ChatType.Private;
        var quiet = isPrivate || address.ThreadId is not null;
        var channel = await deliveryStore.EnsureChannelAsync(
            TelegramAddress.Platform,
            address.ToString(),
            isPrivate ? null : TelegramAddress.Community(chat.Id),
            quiet ? Schedules.Off : options.Value.DefaultSchedule,
            options.Value.DefaultTimeZone,
            cancellationToken);
        if (channel.PausedReason is not null)
        {
            await deliveryStore.SetChannelPausedAsync(channel.Id, null, cancellationToken);
            channel = channel with { PausedReason = null };
        }

        if (scheduled.TryAdd(channel.Id, 0))
        {
            await scheduling.ScheduleChannelAsync(channel, cancellationToken);
        }

        return channel;
    }

    private async Task<CallerRights> RightsAsync(Chat chat, User user, CancellationToken cancellationToken) =>
        chat.Type == ChatType.Private || await moderators.IsModeratorAsync(chat.Id, user.Id, cancellationToken)
            ? CallerRights.Moderator
            : CallerRights.Member;

    private static CommandCaller Caller(User user)
    {
        var id = user.Id.ToString(CultureInfo.InvariantCulture);

        // A bot can write to a user in the private chat whose id is the user's id.
        return new CommandCaller(id, user.Username ?? user.FirstName, id);
    }

    private async Task<(string? Text, string? Problem)> DownloadAsync(Document document, CancellationToken cancellationToken)
    {
        const string TooLarge = "The attached file is larger than 1 MB; an OPML list of feeds is far smaller. Nothing was imported.";
        if (document.FileSize > AttachmentMaxBytes)
        {
            return (null, TooLarge);
        }

        try
        {
            using var buffer = new MemoryStream();
            await PlatformCall.WithTimeoutAsync(token => bot.GetInfoAndDownloadFile(document.FileId, buffer, token), options.Value.RequestTimeout, time, cancellationToken);
            return buffer.Length > AttachmentMaxBytes ? (null, TooLarge) : (Encoding.UTF8.GetString(buffer.ToArray()), null);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogDownloadFailed(logger, e, document.FileId);
            return (null, $"Couldn't download the attached file ({e.Message}). Nothing was imported; send it again, or give its address: /feeds import <url>");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram file {FileId} could not be downloaded")]
    private static partial void LogDownloadFailed(ILogger logger, Exception exception, string fileId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram update {UpdateId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, int updateId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram answerCallbackQuery {QueryId} failed: {Error}")]
    private static partial void LogAnswerFailed(ILogger logger, string queryId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} paused: {Reason}")]
    private static partial void LogPaused(ILogger logger, long chatId, string reason);
}
