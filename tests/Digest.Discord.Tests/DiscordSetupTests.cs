using System.Text.Json;
using Digest.Core.Storage;
using Digest.Discord.Gateway;
using Digest.Discord.Interactions;
using Digest.Discord.Tests.TestSupport;
using Digest.Storage;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord.Tests;

public sealed class DiscordSetupTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-discord-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Host_NoBotToken_NothingStartsOrCallsDiscord()
    {
        await using var fake = await FakeDiscord.StartAsync();
        using var host = Host(new() { ["Discord:ApiBaseUrl"] = fake.ApiUrl });

        await StartAsync(host);
        await host.StopAsync(Ct);

        fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Host_WithBotToken_RegistersCommandsAndConnects()
    {
        await using var fake = await FakeDiscord.StartAsync();
        using var host = Host(new() { ["Discord:ApiBaseUrl"] = fake.ApiUrl, ["Discord:BotToken"] = FakeDiscord.BotToken });

        await StartAsync(host);
        var connection = await fake.NextConnectionAsync();
        await fake.WaitForAsync("PUT", "/commands", cancellationToken: Ct);
        await host.StopAsync(Ct);

        fake.RequestsTo("PUT", "/commands").ShouldHaveSingleItem();
        connection.Path.ShouldContain("v=10");
    }

    [Fact]
    public async Task Host_TakesOverAStoredSession_ResumesItAndStoresTheNewSequenceForTheNext()
    {
        await using var fake = await FakeDiscord.StartAsync();
        using var host = Host(new() { ["Discord:ApiBaseUrl"] = fake.ApiUrl, ["Discord:BotToken"] = FakeDiscord.BotToken });
        var store = host.Services.GetRequiredService<IDigestStore>();
        await store.MigrateAsync(Ct);
        await store.SetStateAsync(DiscordBotService.SessionKey, JsonSerializer.Serialize(new GatewaySession("session-1", fake.ResumeUrl, 7), DiscordJson.Options), Ct);

        await StartAsync(host);
        var connection = await fake.NextConnectionAsync();
        await connection.HelloAsync();
        var resume = await connection.ExpectAsync(6);
        await connection.DispatchAsync(8, "RESUMED", new { });
        await connection.DispatchAsync(9, "GUILD_UPDATE", new { id = "1" });

        var gateway = host.Services.GetRequiredService<DiscordGateway>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (gateway.Session?.Sequence != 9)
        {
            await Task.Delay(5, timeout.Token);
        }

        await host.StopAsync(Ct);

        connection.Path.ShouldStartWith("/resume");
        resume["d"]!["session_id"]!.GetValue<string>().ShouldBe("session-1");
        resume["d"]!["seq"]!.GetValue<long>().ShouldBe(7);
        var stored = JsonSerializer.Deserialize<GatewaySession>((await store.GetStateAsync(DiscordBotService.SessionKey, Ct))!, DiscordJson.Options);
        stored.ShouldBe(new GatewaySession("session-1", fake.ResumeUrl, 9));
    }

    [Fact]
    public async Task Bot_CommandRegistrationHangs_GatewayConnectsMeanwhile()
    {
        await using var fake = await FakeDiscord.StartAsync();
        fake.Enqueue(CannedResponse.NoAnswer("GET", "/applications/@me"));
        await using var bot = await RunBotAsync(fake, requestTimeout: "00:10:00");

        var connection = await fake.NextConnectionAsync();
        await connection.HelloAsync();
        await connection.ExpectAsync(2);
        await bot.StopAsync();

        fake.RequestsTo("PUT", "/commands").ShouldBeEmpty();
    }

    [Fact]
    public async Task Bot_CommandRegistrationTimesOut_TriedAgainLaterAndRegistered()
    {
        await using var fake = await FakeDiscord.StartAsync();
        fake.Enqueue(CannedResponse.NoAnswer("GET", "/applications/@me"));
        await using var bot = await RunBotAsync(fake, requestTimeout: "00:00:30");

        await fake.WaitForAsync("PUT", "/commands", cancellationToken: Ct);
        await bot.StopAsync();

        fake.RequestsTo("GET", "/applications/@me").Count.ShouldBe(2);
    }

    /// <summary>
    /// The bot's leased work on its own, against the fake, on a clock where Discord's seconds are tens of milliseconds
    /// (a 30-s timeout and the minute before registration is tried again pass quickly).
    /// </summary>
    private async Task<RunningBot> RunBotAsync(FakeDiscord fake, string requestTimeout)
    {
        var services = TestServices.Create(fake, new ScaledTimeProvider(0.02), settings: new Dictionary<string, string?> { ["Discord:RequestTimeout"] = requestTimeout });
        var store = new SqliteStore($"Data Source={Path.Combine(directory, "bot.db")}");
        await store.MigrateAsync(Ct);
        var stop = new CancellationTokenSource();
        return new RunningBot(services, stop, services.GetRequiredService<DiscordBotService>().RunAsync(store, stop.Token));
    }

    private sealed class RunningBot(ServiceProvider services, CancellationTokenSource stop, Task running) : IAsyncDisposable
    {
        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await running;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            stop.Dispose();
            await services.DisposeAsync();
        }
    }

    [Fact]
    public void Options_BadPublicKey_StartupErrorNamesTheKey()
    {
        using var host = Host(new() { ["Discord:PublicKey"] = "not-hex" });

        var error = Should.Throw<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value);

        error.Message.ShouldContain("Discord:PublicKey");
    }

    /// <summary>Starts the host on a migrated store, as the worker's startup does before the gateway's lease is taken.</summary>
    private static async Task StartAsync(IHost host)
    {
        await host.Services.GetRequiredService<IDigestStore>().MigrateAsync(Ct);
        await host.StartAsync(Ct);
    }

    private IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<Digest.Core.ICron, Digest.Worker.Jobs.QuartzCron>();
        builder.Services.AddDigestDiscord(builder.Configuration);
        builder.Services.AddSingleton<IDiscordInteractionHandler, ScriptedHandler>();
        builder.Services.AddDigestStore(_ => new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}"));
        return builder.Build();
    }
}
