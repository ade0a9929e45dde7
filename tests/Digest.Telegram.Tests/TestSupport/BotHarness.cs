using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Telegram.Tests.TestSupport;

/// <summary>
/// The real bot host (<c>digest run</c>) pointed at the fake Telegram server, a temp SQLite file and the bundled offline
/// sample feeds, which the host polls at start.
/// </summary>
internal sealed class BotHarness : IAsyncDisposable
{
    private readonly IHost host;

    private readonly FakeTimeProvider? clock;

    private BotHarness(IHost host, TimeProvider? clock)
    {
        this.host = host;
        this.clock = clock as FakeTimeProvider;
    }

    public IServiceProvider Services => host.Services;

    public IDigestStore Store => host.Services.GetRequiredService<IDigestStore>();

    /// <summary>
    /// Waits until every feed has been polled once and the stages have processed and refreshed what they brought. On a
    /// test's clock, the clock is moved on meanwhile: the process stage lets a wake-up settle on the bot's clock.
    /// </summary>
    public async Task FirstPollsDoneAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var feeds = await Store.GetFeedsAsync(timeout.Token);
            if (feeds.All(f => f.LastPolledAt is not null) && (await Store.GetBacklogAsync(timeout.Token)).IsEmpty)
            {
                return;
            }

            clock?.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), $"digest-telegram-{Guid.NewGuid():N}.db");

    /// <summary>
    /// Starts the bot. With a <paramref name="clock"/> the bot's own time (retry waits, flood pauses, request timeouts,
    /// sweeps) is the test's to move on; Quartz's schedule still runs on the machine's clock. Its request timeout is then
    /// long unless <paramref name="settings"/> say otherwise, so moving the clock on never times out a poll by accident.
    /// </summary>
    public static async Task<BotHarness> StartAsync(FakeTelegramServer telegram, string database, bool allowPrivateAddresses = true, TimeProvider? clock = null, params string[] settings)
    {
        string[] configuration =
        [
            $"--Telegram:BotToken={FakeTelegramServer.Token}",
            $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
            "--Telegram:PollTimeout=00:00:05",
            $"--Storage:ConnectionString=Data Source={database}",
            $"--Feeds:AllowPrivateAddresses={allowPrivateAddresses}",
            "--Logging:LogLevel:Default=Warning",
            .. clock is null ? [] : new[] { "--Telegram:RequestTimeout=00:05:00" },
            .. settings,
        ];
        var host = DigestHost.Build(HostMode.Bot, configuration, TextWriter.Null, "text", overrides: clock is null ? null : services => services.AddSingleton(clock));
        await host.StartAsync();
        return new BotHarness(host, clock);
    }

    /// <summary>What the outbox holds for the chat: messages waiting, the last error, and those set aside.</summary>
    public async Task<ChannelBacklog?> BacklogAsync(long chatId)
    {
        var channel = await ChannelAsync(chatId);
        return (await Store.GetOutboxBacklogAsync(CancellationToken.None)).FirstOrDefault(b => b.ChannelId == channel.Id);
    }

    /// <summary>Queues a message for the chat as any producer does (recorded, then the chat's loop woken).</summary>
    public async Task EnqueueAsync(long chatId, string key, Digest.Core.Delivery.OutboxPayload payload)
    {
        var channel = await ChannelAsync(chatId);
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await Store.EnqueueAsync(channel.Id, payload.Kind, key, payload.Serialize(), now, CancellationToken.None);
        Services.GetRequiredService<Digest.Core.Delivery.OutboxSignal>().Wake(channel.Id);
    }

    public async Task<ChannelRecord> ChannelAsync(long chatId) =>
        await Store.FindChannelAsync("telegram", chatId.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None)
        ?? throw new InvalidOperationException($"no channel for chat {chatId}");

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
