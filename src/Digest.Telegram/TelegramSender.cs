using System.Text;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Digest.Telegram;

/// <summary>
/// Sends one outbox message's parts to a chat within the flood limits, each call under <see cref="TelegramOptions.RequestTimeout"/>:
/// waits for the chat's slot, then for a place among the sends in flight (<see cref="TelegramSendGate"/>), reports each part Telegram acknowledged, follows a group that became a supergroup
/// (rebinding its channel), and says why a part was not delivered — a 429 with its retry_after (the chat pauses that long
/// here too), a blocked or removed bot (permanent: the channel pauses), a request Telegram will never accept (rejected:
/// set aside). Anything else (5xx, a reset connection, a timeout) comes out as an exception: a failed attempt.
/// </summary>
internal sealed partial class TelegramSender(
    ITelegramBotClient bot,
    TelegramRateLimiter limiter,
    TelegramSendGate gate,
    IDeliveryStore deliveryStore,
    TimeProvider time,
    IOptions<TelegramOptions> options,
    ILogger<TelegramSender> logger)
{
    private const int MaxMigrations = 3;
    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };

    /// <summary>Sends the parts from <see cref="OutboundMessage.PartsSent"/> on, reporting each one Telegram acknowledged.</summary>
    public async Task<PublishResult> SendAsync(TelegramAddress address, IReadOnlyList<TelegramMessage> parts, OutboundMessage progress, CancellationToken cancellationToken)
    {
        for (var part = progress.PartsSent; part < parts.Count; part++)
        {
            var message = parts[part];
            // The part is recorded before its place among the sends in flight is given up, so a crash can find at most
            // that many parts sent and not recorded.
            var (outcome, moved) = await CallAsync(address, (a, token) => SendOneAsync(a, message, token), cancellationToken, progress.PartSentAsync);
            address = moved;
            if (!outcome.Delivered)
            {
                return outcome;
            }
        }

        return PublishResult.Ok;
    }

    /// <summary>Replaces a message's text (a pager button).</summary>
    public async Task<PublishResult> EditAsync(TelegramAddress address, int messageId, TelegramMessage message, CancellationToken cancellationToken)
    {
        var (outcome, _) = await CallAsync(
            address,
            (a, token) => bot.EditMessageText(a.ChatId, messageId, message.Html, ParseMode.Html, replyMarkup: message.Buttons, linkPreviewOptions: NoPreview, cancellationToken: token),
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

    /// <summary>One call under the chat's flood limit and a place among the sends in flight; <paramref name="acknowledged"/> runs when Telegram accepted it, before the place is given up.</summary>
    private async Task<(PublishResult Outcome, TelegramAddress Address)> CallAsync(
        TelegramAddress address, Func<TelegramAddress, CancellationToken, Task> call, CancellationToken cancellationToken, Func<Task>? acknowledged = null)
    {
        for (var migrations = 0; ; migrations++)
        {
            await limiter.WaitAsync(address.ChatId, cancellationToken);
            try
            {
                var target = address;
                using var place = await gate.EnterAsync(cancellationToken);
                await PlatformCall.WithTimeoutAsync(token => call(target, token), options.Value.RequestTimeout, time, cancellationToken);
                if (acknowledged is not null)
                {
                    await acknowledged();
                }

                return (PublishResult.Ok, address);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 429)
            {
                var wait = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
                limiter.Pause(address.ChatId, wait);
                LogFlood(logger, address.ChatId, wait.TotalSeconds);
                return (new PublishResult(false, $"429: {e.Message}", RetryAfter: wait), address);
            }
            catch (ApiRequestException e) when (e.Parameters?.MigrateToChatId is { } newChat && migrations < MaxMigrations)
            {
                address = await RebindAsync(address, newChat, cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 403 || (e.ErrorCode == 400 && e.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase)))
            {
                return (new PublishResult(false, e.Message, Permanent: true), address);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 400 && e.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
            {
                // The page shown already is the one asked for.
                return (PublishResult.Ok, address);
            }
            catch (ApiRequestException e) when (e.ErrorCode is >= 400 and < 500)
            {
                return (new PublishResult(false, $"{e.ErrorCode}: {e.Message}", Rejected: true), address);
            }
            catch (ApiRequestException e)
            {
                return (new PublishResult(false, $"{e.ErrorCode}: {e.Message}"), address);
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
