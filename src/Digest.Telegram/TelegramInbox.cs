using System.Globalization;
using System.Text.Json;
using Digest.Core;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Digest.Telegram;

/// <summary>
/// The hand-off from Telegram to the handler, kept across kill -9: updates are stored with the next poll offset in one
/// transaction (so an update Telegram will not send again is always kept), then handled concurrently across chats and in
/// order within a chat — one chat's slow command or flood wait never holds another's up — and marked handled. Runs on
/// every worker: a sweep takes up what a worker that died left once its claim expires, and forgets what was handled a
/// day ago.
/// </summary>
internal sealed partial class TelegramInbox : BackgroundService
{
    /// <summary>How long a worker may take to handle an update before another worker may take it over.</summary>
    internal static readonly TimeSpan ClaimTtl = TimeSpan.FromMinutes(2);

    /// <summary>An update taken up this often without being handled (it crashes its worker) is skipped.</summary>
    private const int MaxAttempts = 5;

    private static readonly TimeSpan KeepHandled = TimeSpan.FromDays(1);
    private static readonly TimeSpan BookkeepingTimeout = TimeSpan.FromSeconds(10);

    private readonly TelegramUpdateHandler handler;
    private readonly IInboxStore store;
    private readonly TimeProvider time;
    private readonly DeliveryOptions options;
    private readonly ILogger<TelegramInbox> logger;
    private readonly PerKeyLoops<string> loops;
    private readonly CancellationTokenSource handling = new();
    private readonly CancellationTokenRegistration abandoned;
    private readonly string worker = LocalProcess.NewHolderId();
    private DateTimeOffset prunedAt;

    public TelegramInbox(ITelegramBotClient bot, TelegramUpdateHandler handler, IInboxStore store, ShutdownGrace shutdown, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<TelegramInbox> logger)
    {
        abandoned = shutdown.Abandoned.Register(handling.Cancel);
        this.handler = handler;
        this.store = store;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
        Source = string.Create(CultureInfo.InvariantCulture, $"telegram:{bot.BotId}");
        loops = new PerKeyLoops<string>(this.options.Concurrency, TurnAsync, logger);
    }

    /// <summary>The inbox's name for this bot's updates (update ids are per bot).</summary>
    public string Source { get; }

    /// <summary>Keeps the updates (and, polling, the offset after them) and wakes their chats' loops.</summary>
    public async Task ReceiveAsync(IReadOnlyList<Update> updates, (string Key, string Value)? offset, CancellationToken cancellationToken)
    {
        var entries = updates.Select(u => new InboxEntry(u.Id.ToString(CultureInfo.InvariantCulture), QueueOf(u), JsonSerializer.Serialize(u, JsonBotAPI.Options))).ToList();
        await store.ReceiveUpdatesAsync(Source, entries, offset, time.GetUtcNow(), cancellationToken);
        foreach (var queue in entries.Select(e => e.Queue).Distinct())
        {
            loops.Wake(queue);
        }
    }

    /// <summary>A chat's updates are handled in order; updates without a chat share one queue.</summary>
    internal static string QueueOf(Update update) => (update.Message?.Chat ?? update.CallbackQuery?.Message?.Chat ?? update.MyChatMember?.Chat) is { } chat
        ? chat.Id.ToString(CultureInfo.InvariantCulture)
        : update.CallbackQuery?.From is { } user ? user.Id.ToString(CultureInfo.InvariantCulture) : "-";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        loops.Start(handling.Token);
        await Sweeps.RunAsync(SweepAsync, options.SweepInterval, time, stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // As for sends: handling goes on until ShutdownGrace.Abandoned (or the host gives up), then updates in flight are
        // cancelled and given back.
        await using var hostGaveUp = cancellationToken.Register(handling.Cancel);
        await loops.StopAsync();
    }

    public override void Dispose()
    {
        abandoned.Dispose();
        handling.Dispose();
        base.Dispose();
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            foreach (var queue in await store.GetWaitingQueuesAsync(Source, now, cancellationToken))
            {
                loops.Wake(queue);
            }

            if (now - prunedAt > TimeSpan.FromHours(1))
            {
                prunedAt = now;
                await store.PruneUpdatesAsync(now - KeepHandled, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.SweepFailed(logger, e);
        }
    }

    private async Task<bool> TurnAsync(string queue, CancellationToken cancellationToken)
    {
        if (await store.ClaimNextUpdateAsync(Source, queue, worker, ClaimTtl, time.GetUtcNow(), cancellationToken) is not { } entry)
        {
            return false;
        }

        Update? update = null;
        try
        {
            update = JsonSerializer.Deserialize<Update>(entry.Payload, JsonBotAPI.Options);
        }
        catch (JsonException e)
        {
            Log.Unreadable(logger, e, entry.ExternalId);
        }

        if (entry.Attempts > MaxAttempts)
        {
            Log.Skipped(logger, entry.ExternalId, entry.Attempts - 1);
        }
        else if (update is not null)
        {
            try
            {
                await handler.HandleAsync(update, entry.Id, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await RecordAsync(token => store.ReleaseUpdateAsync(entry.Id, worker, token));
                throw;
            }
        }

        await RecordAsync(token => store.MarkUpdateHandledAsync(entry.Id, time.GetUtcNow(), token));
        return true;
    }

    private async Task RecordAsync(Func<CancellationToken, Task> record)
    {
        using var bound = new CancellationTokenSource(BookkeepingTimeout, time);
        await record(bound.Token);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Telegram inbox sweep failed; trying again at the next one")]
        public static partial void SweepFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Telegram update {UpdateId} could not be read; skipped")]
        public static partial void Unreadable(ILogger logger, Exception exception, string updateId);

        [LoggerMessage(Level = LogLevel.Error, Message = "Telegram update {UpdateId} was taken up {Attempts} times without being handled; skipped")]
        public static partial void Skipped(ILogger logger, string updateId, int attempts);
    }
}
