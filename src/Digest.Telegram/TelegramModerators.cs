using System.Collections.Concurrent;
using Digest.Core.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Digest.Telegram;

/// <summary>Whether a user may configure a group: its creator or an administrator (getChatMember), remembered briefly.</summary>
internal sealed partial class TelegramModerators(ITelegramBotClient bot, TimeProvider time, IOptions<TelegramOptions> options, ILogger<TelegramModerators> logger)
{
    private readonly ConcurrentDictionary<(long Chat, long User), (bool IsModerator, DateTimeOffset Until)> cache = new();

    public async Task<bool> IsModeratorAsync(long chatId, long userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue((chatId, userId), out var known) && known.Until > now)
        {
            return known.IsModerator;
        }

        try
        {
            var member = await PlatformCall.WithTimeoutAsync(token => bot.GetChatMember(chatId, userId, token), options.Value.RequestTimeout, time, cancellationToken);
            var isModerator = member.Status is ChatMemberStatus.Creator or ChatMemberStatus.Administrator;
            cache[(chatId, userId)] = (isModerator, now + options.Value.AdminCacheDuration);
            return isModerator;
        }
        catch (Exception e) when (e is ApiRequestException or RequestException or HttpRequestException or TimeoutException)
        {
            // Not knowing (an error, Telegram down or slow) means not a moderator; not remembered, so the next command asks again.
            LogUnknown(logger, chatId, userId, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "getChatMember {ChatId}/{UserId} failed: {Error}")]
    private static partial void LogUnknown(ILogger logger, long chatId, long userId, string error);
}
