using Digest.Discord.Gateway;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Discord.Tests.Gateway;

public sealed class DiscordGatewayTests
{
    // Discord's seconds become tens of milliseconds; the order of events is what the tests check, never the time taken.
    private static readonly ScaledTimeProvider Fast = new(0.02);

    [Fact]
    public async Task NormalSession_IdentifiesHeartbeatsAndAnswersInteraction()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);

        var connection = await fake.NextConnectionAsync();
        connection.Path.ShouldContain("v=10");
        connection.Path.ShouldContain("encoding=json");
        await connection.HelloAsync();
        var identify = await connection.ExpectAsync(2);
        identify["d"]!["token"]!.GetValue<string>().ShouldBe(FakeDiscord.BotToken);
        identify["d"]!["intents"]!.GetValue<int>().ShouldBe(0);
        await connection.ReadyAsync(1, "session-1", fake.ResumeUrl);
        await connection.DispatchAsync(2, "INTERACTION_CREATE", TestInteractions.Command("900000000000000001", "help"));

        var callback = await fake.WaitForAsync("POST", "/interactions/900000000000000001/", cancellationToken: TestContext.Current.CancellationToken);
        callback.Json.GetProperty("type").GetInt32().ShouldBe(4);
        callback.Json.GetProperty("data").GetProperty("content").GetString().ShouldBe("ok: /help");
        await connection.WaitForHeartbeatsAsync(2);
        gateway.Session.ShouldBe(new GatewaySession("session-1", fake.ResumeUrl, 2));

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task TwoInteractions_FirstCommandStillWorking_SecondAnsweredWithoutWaitingForIt()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var slow = new TaskCompletionSource<Digest.Discord.Interactions.DiscordReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        services.GetRequiredService<ScriptedHandler>().Reply = (interaction, _) => interaction.Command == "digest"
            ? slow.Task
            : Task.FromResult(new Digest.Discord.Interactions.DiscordReply($"ok: /{interaction.Command}"));
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);
        var connection = await fake.NextConnectionAsync();
        await connection.HelloAsync();
        await connection.ExpectAsync(2);
        await connection.ReadyAsync(1, "session-1", fake.ResumeUrl);

        await connection.DispatchAsync(2, "INTERACTION_CREATE", TestInteractions.Command("900000000000000021", "digest"));
        await connection.DispatchAsync(3, "INTERACTION_CREATE", TestInteractions.Command("900000000000000022", "help"));
        var help = await fake.WaitForAsync("POST", "/interactions/900000000000000022/", cancellationToken: TestContext.Current.CancellationToken);

        help.Json.GetProperty("data").GetProperty("content").GetString().ShouldBe("ok: /help");
        slow.Task.IsCompleted.ShouldBeFalse();

        // The slow one was deferred ("thinking…") and is answered by an edit once its command is done.
        var deferral = await fake.WaitForAsync("POST", "/interactions/900000000000000021/", cancellationToken: TestContext.Current.CancellationToken);
        deferral.Json.GetProperty("type").GetInt32().ShouldBe(5);
        slow.SetResult(new Digest.Discord.Interactions.DiscordReply("the digest"));
        await fake.WaitForAsync("PATCH", "/interaction-token-900000000000000021/messages/@original", cancellationToken: TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Reconnect_Op7_ResumesOnResumeUrlWithSequence()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);
        var first = await fake.NextConnectionAsync();
        await first.HelloAsync();
        await first.ExpectAsync(2);
        await first.ReadyAsync(5, "session-1", fake.ResumeUrl);

        await first.SendAsync(new { op = 7, d = (object?)null });

        var second = await fake.NextConnectionAsync();
        second.Path.ShouldStartWith("/resume");
        await second.HelloAsync();
        var resume = await second.ExpectAsync(6);
        resume["d"]!["session_id"]!.GetValue<string>().ShouldBe("session-1");
        resume["d"]!["seq"]!.GetValue<long>().ShouldBe(5);
        await first.Closed;
        first.ClientCloseStatus.ShouldNotBe(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task InvalidSession_NotResumable_IdentifiesAgainOnGatewayUrl()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);
        var first = await fake.NextConnectionAsync();
        await first.HelloAsync();
        await first.ExpectAsync(2);
        await first.ReadyAsync(1, "session-1", fake.ResumeUrl);

        await first.SendAsync(new { op = 9, d = false });

        var second = await fake.NextConnectionAsync();
        second.Path.ShouldStartWith("/gateway");
        await second.HelloAsync();
        await second.ExpectAsync(2);
        gateway.Session.ShouldBeNull();

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task InvalidSession_Resumable_Resumes()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);
        var first = await fake.NextConnectionAsync();
        await first.HelloAsync();
        await first.ExpectAsync(2);
        await first.ReadyAsync(3, "session-1", fake.ResumeUrl);

        await first.SendAsync(new { op = 9, d = true });

        var second = await fake.NextConnectionAsync();
        await second.HelloAsync();
        (await second.ExpectAsync(6))["d"]!["seq"]!.GetValue<long>().ShouldBe(3);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task HeartbeatAcksStop_ZombieClosedNon1000AndResumed()
    {
        await using var fake = await FakeDiscord.StartAsync();

        // Slower than Fast: the close frame has 5 s of this clock before the socket is aborted, and at Fast's scale (100 ms)
        // a loaded machine sometimes missed it. Short heartbeats keep the test quick.
        await using var services = TestServices.Create(fake, new ScaledTimeProvider(0.2));
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);
        var first = await fake.NextConnectionAsync();
        await first.HelloAsync(heartbeatIntervalMs: 1000);
        await first.ExpectAsync(2);
        await first.ReadyAsync(1, "session-1", fake.ResumeUrl);
        await Until(() => gateway.Session is not null);

        first.AutoAck = false;

        var second = await fake.NextConnectionAsync();

        await first.Closed;
        first.ClientCloseStatus.ShouldBe((System.Net.WebSockets.WebSocketCloseStatus)4000);
        second.Path.ShouldStartWith("/resume");
        await second.HelloAsync(heartbeatIntervalMs: 1000);
        await second.ExpectAsync(6);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Close4004_StopsWithClearErrorAndNoReconnect()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        var running = gateway.RunAsync(TestContext.Current.CancellationToken);
        var connection = await fake.NextConnectionAsync();
        await connection.HelloAsync();
        await connection.ExpectAsync(2);

        await connection.CloseAsync(4004, "Authentication failed.");
        await running;

        gateway.StopReason.ShouldBe("Discord gateway closed 4004: authentication failed — check Discord:BotToken");
        fake.Connections.Reader.TryRead(out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Resume_ReplayedInteraction_AnsweredOnce()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        var handler = services.GetRequiredService<ScriptedHandler>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);
        var first = await fake.NextConnectionAsync();
        await first.HelloAsync();
        await first.ExpectAsync(2);
        await first.ReadyAsync(1, "session-1", fake.ResumeUrl);
        await first.DispatchAsync(2, "INTERACTION_CREATE", TestInteractions.Command("900000000000000002", "status"));
        await fake.WaitForAsync("POST", "/interactions/900000000000000002/", cancellationToken: TestContext.Current.CancellationToken);
        await first.SendAsync(new { op = 7, d = (object?)null });

        var second = await fake.NextConnectionAsync();
        await second.HelloAsync();
        await second.ExpectAsync(6);
        // A replay of what was already handled (same sequence, and once more under a new one), then something new.
        await second.DispatchAsync(2, "INTERACTION_CREATE", TestInteractions.Command("900000000000000002", "status"));
        await second.DispatchAsync(3, "INTERACTION_CREATE", TestInteractions.Command("900000000000000002", "status"));
        await second.DispatchAsync(4, "RESUMED", new { });
        await second.DispatchAsync(5, "INTERACTION_CREATE", TestInteractions.Command("900000000000000003", "latest"));
        await fake.WaitForAsync("POST", "/interactions/900000000000000003/", cancellationToken: TestContext.Current.CancellationToken);

        fake.RequestsTo("POST", "/interactions/900000000000000002/").Count.ShouldBe(1);
        handler.Calls.Select(c => c.Id).ShouldBe(["900000000000000002", "900000000000000003"]);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RestoredSession_ResumeUrlRefusesConnections_IdentifiesANewSessionAfterThreeTries()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();

        // A session stored by an earlier run whose resume node is gone: nothing listens on its port any more.
        var gone = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        gone.Start();
        var port = ((System.Net.IPEndPoint)gone.LocalEndpoint).Port;
        gone.Stop();
        gateway.Restore(new GatewaySession("session-old", $"ws://127.0.0.1:{port}/resume", 41));
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);

        var connection = await fake.NextConnectionAsync();
        connection.Path.ShouldStartWith("/gateway");
        await connection.HelloAsync();
        var identify = await connection.ExpectAsync(2);
        identify["d"]!["token"]!.GetValue<string>().ShouldBe(FakeDiscord.BotToken);
        await connection.ReadyAsync(1, "session-2", fake.ResumeUrl);
        await Until(() => gateway.Session?.SessionId == "session-2");

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task SessionStartsUsedUp_WaitsBeforeIdentifying()
    {
        await using var fake = await FakeDiscord.StartAsync();
        fake.SessionStartsRemaining = 0;
        await using var services = TestServices.Create(fake, Fast);
        var gateway = services.GetRequiredService<DiscordGateway>();
        using var stop = new CancellationTokenSource();
        var running = gateway.RunAsync(stop.Token);

        await fake.WaitForAsync("GET", "/gateway/bot", count: 2, cancellationToken: TestContext.Current.CancellationToken);
        fake.Connections.Reader.TryRead(out _).ShouldBeFalse();
        fake.SessionStartsRemaining = 1;
        var connection = await fake.NextConnectionAsync();
        await connection.HelloAsync();
        await connection.ExpectAsync(2);

        await stop.CancelAsync();
        await running;
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
