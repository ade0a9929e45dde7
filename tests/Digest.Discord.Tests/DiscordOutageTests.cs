using System.Text;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Digest.Discord.Tests.TestSupport;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Discord.Tests;

/// <summary>A Discord that accepts connections and never answers, as the running bot meets it.</summary>
[Collection(nameof(DiscordBotHost))]
public sealed class DiscordOutageTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-discord-outage-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_DiscordNeverAnswers_StartsAndTheDiscordSendIsAFailedAttemptWhileTheConsoleGoesOn()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 22, 12, 0, 0, TimeSpan.Zero));
        await using var fake = await FakeDiscord.StartAsync(clock);
        fake.HangAll = true;
        var console = new ConsoleLines();
        using var host = DigestHost.Build(
            HostMode.Bot,
            [
                $"--Discord:BotToken={FakeDiscord.BotToken}",
                $"--Discord:ApiBaseUrl={fake.ApiUrl}",
                $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "digest.db")}",
                "--Logging:LogLevel:Default=Critical",
            ],
            console,
            "text",
            overrides: services => services.AddSingleton<TimeProvider>(clock));

        // Command registration and GET /gateway/bot hang: the host starts all the same.
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<IDigestStore>();

        // The bundled feeds polled and their items in stories, so the console has a digest to show.
        await DiscordBotHarness.FirstPollsDoneAsync(store, clock);

        var channel = await store.EnsureChannelAsync("discord", "400000000000000009", "discord:600000000000000001", "0 0 8 * * ?", "UTC", Ct);
        await store.EnqueueAsync(channel.Id, OutboxPayload.TextKind, "notice:outage", OutboxPayload.ForText("Talks resume in Geneva").Serialize(), clock.GetUtcNow(), Ct);
        host.Services.GetRequiredService<OutboxSignal>().Wake(channel.Id);
        await fake.WaitForAsync("POST", "/channels/400000000000000009/messages", cancellationToken: Ct);

        // Discord:RequestTimeout (30 s) passes on the bot's clock: the send is a failed attempt, to be retried.
        ChannelBacklog? failed = null;
        for (var second = 0; second < 120 && failed is null; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Ct);
            failed = (await store.GetOutboxBacklogAsync(Ct)).FirstOrDefault(b => b.ChannelId == channel.Id && b.LastError is not null);
        }

        // Meanwhile the console's digest goes out, as it would on its schedule.
        var consoleChannel = (await store.GetChannelsAsync(Ct)).Single(c => c.Platform == ConsolePublisher.PlatformName);
        await host.Services.GetRequiredService<DigestDelivery>().RunChannelAsync(consoleChannel.Id, Ct);
        for (var wait = 0; wait < 1000 && console.Count("Digest —") == 0; wait++)
        {
            await Task.Delay(20, Ct);
        }

        failed.ShouldNotBeNull();
        failed.LastError.ShouldBe("POST /channels/{channel_id}/messages: no answer within 30 s");
        failed.NextAttemptAt.ShouldNotBeNull();
        console.Count("Digest —").ShouldBe(1);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested.ShouldBeFalse();
        fake.Created.ShouldBeEmpty();
        await host.StopAsync(Ct);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static int Count(string text, string what) => text.Split(what).Length - 1;

    /// <summary>The console channel's output.</summary>
    private sealed class ConsoleLines : TextWriter
    {
        private readonly StringBuilder text = new();
        private readonly Lock gate = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            lock (gate)
            {
                text.Append(value);
            }
        }

        public int Count(string what)
        {
            lock (gate)
            {
                return DiscordOutageTests.Count(text.ToString(), what);
            }
        }
    }
}
