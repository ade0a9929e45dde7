using System.Globalization;
using Digest.Core;
using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Digest.Telegram;

/// <summary>
/// Brings the bot up on Telegram — who it is (getMe), its command menus (everyone; more for chat administrators) — and
/// receives updates: long polling with the offset kept in the store across restarts, or a webhook that Telegram calls.
/// Received updates go to the <see cref="TelegramInbox"/> (stored with the next offset, then handled per chat), so the
/// poll goes on at once whatever a chat's handling waits for. Every call has its own timeout; Telegram down or hanging
/// is logged and retried with backoff while the rest of the bot goes on.
/// Telegram allows one long poll per bot, so polling runs under the <c>telegram</c> lease, on one worker at a time
/// (<see cref="TelegramSetup"/>); the worker that takes over goes on from the stored offset. A webhook needs no lease:
/// every worker registers the same URL and serves whatever the proxy hands it.
/// </summary>
internal sealed partial class TelegramReceiver(
    ITelegramBotClient bot,
    TelegramInbox inbox,
    TelegramIdentity identity,
    ILeaseStore leaseStore,
    TimeProvider time,
    IOptions<TelegramOptions> options,
    ILogger<TelegramReceiver> logger) : BackgroundService
{
    internal static readonly UpdateType[] Wanted = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    /// <summary>The lease a polling worker must hold.</summary>
    public const string LeaseName = "telegram";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    /// <summary>Sets the bot up, then polls until cancelled (webhook mode: returns once the webhook is set).</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartAsync(settings, stoppingToken);
                failures = 0;
                if (settings.Mode == "webhook")
                {
                    return;
                }

                await PollAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Telegram down, a bad token, another process polling with the same token (409): log, wait, try again —
                // the rest of the bot (polls, other platforms) keeps running.
                var backoff = Backoff.Exponential(TimeSpan.FromSeconds(1), ++failures, TimeSpan.FromMinutes(5));
                LogUnreachable(logger, e, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken);
            }
        }
    }

    private async Task StartAsync(TelegramOptions settings, CancellationToken cancellationToken)
    {
        var me = await CallAsync(token => bot.GetMe(token), cancellationToken);
        identity.Username = me.Username;
        var everyone = CommandCatalog.All.Where(c => c.Access == CallerRights.Member).Select(Menu).ToList();
        var admins = CommandCatalog.All.Select(Menu).ToList();
        await CallAsync(token => bot.SetMyCommands(everyone, BotCommandScope.Default(), cancellationToken: token), cancellationToken);
        await CallAsync(token => bot.SetMyCommands(admins, BotCommandScope.AllChatAdministrators(), cancellationToken: token), cancellationToken);
        if (settings.Mode == "webhook")
        {
            await CallAsync(token => bot.SetWebhook(settings.WebhookUrl!, allowedUpdates: Wanted, secretToken: settings.WebhookSecret, cancellationToken: token), cancellationToken);
            LogWebhook(logger, me.Username);
        }
        else
        {
            await CallAsync(token => bot.DeleteWebhook(cancellationToken: token), cancellationToken);
            LogPolling(logger, me.Username);
        }
    }

    private Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        PlatformCall.WithTimeoutAsync(call, options.Value.RequestTimeout, time, cancellationToken);

    private Task CallAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        PlatformCall.WithTimeoutAsync(call, options.Value.RequestTimeout, time, cancellationToken);

    private static BotCommand Menu(CommandInfo command) => new() { Command = command.Name, Description = command.Description };

    private async Task PollAsync(TelegramOptions settings, CancellationToken cancellationToken)
    {
        var key = $"telegram:{bot.BotId}:offset";
        var offset = int.TryParse(await leaseStore.GetStateAsync(key, cancellationToken), NumberStyles.Integer, CultureInfo.InvariantCulture, out var stored) ? stored : 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var updates = await PlatformCall.WithTimeoutAsync(
                token => bot.GetUpdates(offset, 100, (int)settings.PollTimeout.TotalSeconds, Wanted, token),
                settings.PollTimeout + settings.RequestTimeout,
                time,
                cancellationToken);
            if (updates.Length > 0)
            {
                // Stored with the offset after them in one transaction: asking for that offset confirms them to Telegram,
                // and by then they are kept. Handling happens in the inbox's per-chat loops, not here.
                offset = updates[^1].Id + 1;
                await inbox.ReceiveAsync(updates, (key, offset.ToString(CultureInfo.InvariantCulture)), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: @{Username} receiving updates by long polling")]
    private static partial void LogPolling(ILogger logger, string? username);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: @{Username} receiving updates by webhook")]
    private static partial void LogWebhook(ILogger logger, string? username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram unreachable; retrying in {Seconds} s")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, double seconds);
}
