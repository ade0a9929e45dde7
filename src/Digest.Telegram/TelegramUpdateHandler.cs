using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Digest.Core.Commands;
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
/// Turns Telegram updates into the platform-neutral command model and speaks the reply: commands in messages, pager
/// buttons, the bot joining or leaving a chat, and a group becoming a supergroup. One bad update is logged and skipped.
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
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdateHandler> logger)
{
    /// <summary>The most an attached OPML file may weigh.</summary>
    private const long AttachmentMaxBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<long, byte> scheduled = new();

    public async Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        try
        {
            switch (update)
            {
                case { Message: { } message }:
                    await OnMessageAsync(message, cancellationToken);
                    break;
                case { CallbackQuery: { } query }:
                    await OnCallbackAsync(query, cancellationToken);
                    break;
                case { MyChatMember: { } membership }:
                    await OnMembershipAsync(membership, cancellationToken);
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, update.Id);
        }
    }

    private async Task OnMessageAsync(Message message, CancellationToken cancellationToken)
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
                await sender.SendAsync(address, TelegramRenderer.Render(CommandReply.Refuse(problem), callbacks), cancellationToken);
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
        await sender.SendAsync(address, TelegramRenderer.Render(reply, callbacks), cancellationToken);
    }

    private async Task OnCallbackAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        var page = callbacks.Decode(query.Data);
        if (page is null || query.Message is not { } message)
        {
            await bot.AnswerCallbackQuery(query.Id, "This list has expired; run the command again.", cancellationToken: cancellationToken);
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
        var messages = TelegramRenderer.Render(reply, callbacks);
        await bot.AnswerCallbackQuery(query.Id, cancellationToken: cancellationToken);
        if (messages is [{ File: null } single])
        {
            await sender.EditAsync(address, message.MessageId, single, cancellationToken);
        }
        else
        {
            await sender.SendAsync(address, messages, cancellationToken);
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
        var isPrivate = chat.Type == ChatType.Private;
        var channel = await deliveryStore.EnsureChannelAsync(
            TelegramAddress.Platform,
            address.ToString(),
            isPrivate ? null : TelegramAddress.Community(chat.Id),
            isPrivate ? Schedules.Off : options.Value.DefaultSchedule,
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
            await bot.GetInfoAndDownloadFile(document.FileId, buffer, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} paused: {Reason}")]
    private static partial void LogPaused(ILogger logger, long chatId, string reason);
}
