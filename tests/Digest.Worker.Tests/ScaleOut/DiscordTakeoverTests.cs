using System.Diagnostics;
using System.Text.Json.Nodes;
using Digest.Discord.Tests.TestSupport;
using Digest.Tests.Shared;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>
/// Two real <c>digest run</c> workers on one PostgreSQL and one (fake) Discord bot: only the worker holding the
/// <c>discord</c> lease keeps a gateway session; killed with kill -9, it stops renewing, and the other worker takes the
/// lease over once it expires and resumes the session it finds in the store (op 6 on the resume URL, with the stored
/// sequence) instead of identifying afresh.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DiscordTakeoverTests(PostgresCluster cluster)
{
    /// <summary>The lease's TTL (20 s) and one retry (5 s), with room for a busy machine.</summary>
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(30);

    /// <summary>Two cold <c>dotnet digest.dll</c> starts and the migrations, on a machine shared with other builds.</summary>
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private const string SessionId = "session-1";
    private const string Before = "900000000000000001", After = "900000000000000002";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_GatewayHolderKilled_OtherWorkerResumesTheStoredSessionWithinTheTtl_EachInteractionAnsweredOnce()
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var connectionString = await cluster.CreateDatabaseAsync("discord");
        await using var discord = await FakeDiscord.StartAsync();
        string[] arguments =
        [
            "--Storage:Provider=postgres",
            $"--Storage:ConnectionString={connectionString}",
            $"--Discord:BotToken={FakeDiscord.BotToken}",
            $"--Discord:ApiBaseUrl={discord.ApiUrl}",
            $"--Discord:GatewayUrl={discord.GatewayUrl}",
            "--Summarization:FullText:Enabled=false",
        ];
        using var first = WorkerProcess.Start(arguments);
        using var second = WorkerProcess.Start(arguments);
        WorkerProcess[] workers = [first, second];

        // Round 1: the worker holding the lease identifies, gets READY, and answers /help once.
        var gateway = await NextGatewayAsync(discord, Startup, workers);
        gateway.Path.ShouldStartWith("/gateway");
        await gateway.HelloAsync();
        var identify = await gateway.ExpectAsync(2);
        identify["d"]!["token"]!.GetValue<string>().ShouldBe(FakeDiscord.BotToken);
        await gateway.ReadyAsync(1, SessionId, discord.ResumeUrl);
        await gateway.DispatchAsync(2, "INTERACTION_CREATE", TestInteractions.Command(Before, "help"));
        await Workers.WaitUntilAsync(() => Task.FromResult(CallbacksTo(discord, Before) > 0), "the /help answer in round 1", Takeover, workers);
        await Workers.WaitUntilAsync(async () => await StoredSequenceAsync(connectionString) == 2, "the session stored at sequence 2", Takeover, workers);
        var holderPid = await Workers.LeaseHolderPidAsync(connectionString, "discord");
        var holder = workers.Single(w => w.Id == holderPid);
        var other = workers.Single(w => w != holder);

        await holder.KillAsync();
        await gateway.Closed;

        // Round 2: the other worker takes the lease once it expires and resumes where the dead worker left off.
        var clock = Stopwatch.StartNew();
        var resumed = await NextGatewayAsync(discord, Takeover, workers);
        TestContext.Current.TestOutputHelper?.WriteLine($"resumed after {clock.Elapsed}");
        (await Workers.LeaseHolderPidAsync(connectionString, "discord")).ShouldBe(other.Id);
        resumed.Path.ShouldStartWith("/resume");
        await resumed.HelloAsync();
        var resume = (await resumed.ExpectAsync(6))["d"]!;
        resume["token"]!.GetValue<string>().ShouldBe(FakeDiscord.BotToken);
        resume["session_id"]!.GetValue<string>().ShouldBe(SessionId);
        resume["seq"]!.GetValue<long>().ShouldBe(2);
        await resumed.DispatchAsync(3, "RESUMED", new { });
        await resumed.DispatchAsync(4, "INTERACTION_CREATE", TestInteractions.Command(After, "help"));
        await Workers.WaitUntilAsync(() => Task.FromResult(CallbacksTo(discord, After) > 0), "the /help answer in round 2", Takeover, workers);
        await Workers.WaitUntilAsync(async () => await StoredSequenceAsync(connectionString) == 4, "the session stored at sequence 4", Takeover, workers);

        CallbacksTo(discord, Before).ShouldBe(1, "answers to the interaction before the takeover");
        CallbacksTo(discord, After).ShouldBe(1, "answers to the interaction after the takeover");
        discord.RequestsTo("GET", "/gateway/bot").Count.ShouldBe(1, "only the first worker asked for a new session");
        discord.MostGatewaysAtOnce.ShouldBe(1);
    }

    private static int CallbacksTo(FakeDiscord discord, string interactionId) =>
        discord.RequestsTo("POST", $"/interactions/{interactionId}/").Count;

    private static async Task<GatewayPeer> NextGatewayAsync(FakeDiscord discord, TimeSpan within, IEnumerable<WorkerProcess> workers)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(within);
        try
        {
            return await discord.Connections.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"No gateway connection within {within}. Worker logs:\n{Workers.Logs(workers)}");
        }
    }

    /// <summary>The sequence of the gateway session in the store ({"session_id", "resume_gateway_url", "sequence"}).</summary>
    private static async Task<long?> StoredSequenceAsync(string connectionString) =>
        await Workers.ScalarAsync(connectionString, "SELECT value FROM bot_state WHERE key = 'discord:gateway-session'") is string json
            ? JsonNode.Parse(json)?["sequence"]?.GetValue<long>()
            : null;
}
