using System.Text;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Digest.Telegram;

/// <summary>How a send ended: delivered, or why not (permanent: the bot was blocked or removed, don't retry).</summary>
internal sealed record SendOutcome(bool Delivered, string? Error = null, bool Permanent = false)
{
    public static readonly SendOutcome Ok = new(true);
}

/// <summary>
/// Sends messages to a chat within the flood limits: waits for a slot, rides out 429s (pausing the chat for
/// retry_after), follows a group that became a supergroup (rebinding its channel), and reports a blocked or removed bot
/// as permanent so the channel is paused instead of retried forever.
/// </summary>
internal sealed partial class TelegramSender(
    ITelegramBotClient bot,
    TelegramRateLimiter limiter,
    IDeliveryStore deliveryStore,
    IOptions<TelegramOptions> options,
    ILogger<TelegramSender> logger)
{
    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };

    public async Task<SendOutcome> SendAsync(TelegramAddress address, IReadOnlyList<TelegramMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            var (outcome, moved) = await CallAsync(address, a => SendOneAsync(a, message, cancellationToken), cancellationToken);
            address = moved;
            if (!outcome.Delivered)
            {
                return outcome;
            }
        }

        return SendOutcome.Ok;
    }

    /// <summary>Replaces a message's text (a pager button); a reply too long for one message is sent anew instead.</summary>
    public async Task<SendOutcome> EditAsync(TelegramAddress address, int messageId, TelegramMessage message, CancellationToken cancellationToken)
    {
        var (outcome, _) = await CallAsync(
            address,
            a => bot.EditMessageText(a.ChatId, messageId, message.Html, ParseMode.Html, replyMarkup: message.Buttons, linkPreviewOptions: NoPreview, cancellationToken: cancellationToken),
            cancellationToken);
        return outcome;
    }

    private async Task SendOneAsync(TelegramAddress address, TelegramMessage message, CancellationToken cancellationToken)
    {
        if (message.File is { } file)
        {
            await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(file.Content));
            await bot.SendDocument(address.ChatId, InputFile.FromStream(stream, file.FileName), messageThreadId: address.ThreadId, cancellationToken: cancellationToken);
            return;
        }

        await bot.SendMessage(
            address.ChatId,
            message.Html,
            ParseMode.Html,
            replyMarkup: message.Buttons,
            linkPreviewOptions: NoPreview,
            messageThreadId: address.ThreadId,
            cancellationToken: cancellationToken);
    }

    private async Task<(SendOutcome Outcome, TelegramAddress Address)> CallAsync(TelegramAddress address, Func<TelegramAddress, Task> call, CancellationToken cancellationToken)
    {
        var retries = 0;
        while (true)
        {
            await limiter.WaitAsync(address.ChatId, cancellationToken);
            try
            {
                await call(address);
                return (SendOutcome.Ok, address);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 429 && retries < options.Value.MaxRetries)
            {
                retries++;
                var wait = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
                limiter.Pause(address.ChatId, wait);
                LogFlood(logger, address.ChatId, wait.TotalSeconds);
            }
            catch (ApiRequestException e) when (e.Parameters?.MigrateToChatId is { } newChat && retries < options.Value.MaxRetries)
            {
                retries++;
                address = await RebindAsync(address, newChat, cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 403)
            {
                return (new SendOutcome(false, e.Message, Permanent: true), address);
            }
            catch (ApiRequestException e)
            {
                return (new SendOutcome(false, $"{e.ErrorCode}: {e.Message}"), address);
            }
            catch (RequestException e)
            {
                return (new SendOutcome(false, e.Message), address);
            }
            catch (HttpRequestException e)
            {
                return (new SendOutcome(false, e.Message), address);
            }
        }
    }

    /// <summary>The group became a supergroup: its channel (and community) move to the new chat id.</summary>
    public async Task<TelegramAddress> RebindAsync(TelegramAddress address, long newChatId, CancellationToken cancellationToken)
    {
        var moved = address with { ChatId = newChatId };
        if (await deliveryStore.FindChannelAsync(TelegramAddress.Platform, address.ToString(), cancellationToken) is { } channel
            && await deliveryStore.FindChannelAsync(TelegramAddress.Platform, moved.ToString(), cancellationToken) is null)
        {
            await deliveryStore.RebindChannelAsync(channel.Id, moved.ToString(), TelegramAddress.Community(newChatId), cancellationToken);
        }

        LogMigrated(logger, address.ChatId, newChatId);
        return moved;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram flood control for {ChatId}: waiting {Seconds} s")]
    private static partial void LogFlood(ILogger logger, long chatId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} became supergroup {NewChatId}; channel rebound")]
    private static partial void LogMigrated(ILogger logger, long chatId, long newChatId);
}
