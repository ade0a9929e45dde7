using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Telegram.Tests.TestSupport;

/// <summary>
/// The real bot host (<c>digest run</c>) pointed at the fake Telegram server, a temp SQLite file and the bundled offline
/// sample feeds, which the host polls at start.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    private readonly IHost host;

    private BotHarness(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public IDigestStore Store => host.Services.GetRequiredService<IDigestStore>();

    /// <summary>Waits until every feed has been polled once and the stages have processed and refreshed what they brought.</summary>
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

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), $"digest-telegram-{Guid.NewGuid():N}.db");

    public static async Task<BotHarness> StartAsync(FakeTelegramServer telegram, string database, bool allowPrivateAddresses = true)
    {
        string[] configuration =
        [
            $"--Telegram:BotToken={FakeTelegramServer.Token}",
            $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
            "--Telegram:PollTimeout=00:00:05",
            $"--Storage:ConnectionString=Data Source={database}",
            $"--Feeds:AllowPrivateAddresses={allowPrivateAddresses}",
            "--Logging:LogLevel:Default=Warning",
        ];
        var host = DigestHost.Build(HostMode.Bot, configuration, TextWriter.Null, "text");
        await host.StartAsync();
        return new BotHarness(host);
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
