using Digest.Core.Classification;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Items;
using Digest.Core.Leasing;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>Delivery as two workers see it: a digest slot recorded once, a message claimed by another worker left to it.</summary>
public sealed class DigestDeliveryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("digest-delivery-").FullName;
    private readonly FakeTimeProvider clock = new(T0);
    private readonly StringWriter console = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(SqliteStore Store, DigestDelivery Delivery, long ChannelId)> SetUpAsync()
    {
        var store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");
        await store.MigrateAsync(Ct);
        var channel = await store.EnsureChannelAsync(ConsolePublisher.PlatformName, "stdout", null, "0 0 * * * ?", "UTC", Ct);
        return (store, Delivery(store), channel.Id);
    }

    private DigestDelivery Delivery(SqliteStore store) => new(
        store,
        new DigestComposer(store, store, Options.Create(new DigestOptions()), clock),
        new CommunityScopes(store, store, store, new Digest.Core.Classification.TopicProfile { Id = "t", Name = "t" }),
        [new ConsolePublisher(new ConsoleOutput(console, "text"))],
        new OutboxSignal(),
        Options.Create(new DeliveryOptions()),
        clock,
        NullLogger<DigestDelivery>.Instance);

    /// <summary>Sends what is due now, as the channel's loop does turn by turn.</summary>
    private static async Task<int> SendDueAsync(DigestDelivery delivery, long channelId)
    {
        var sent = 0;
        for (var turn = await delivery.SendNextAsync(channelId, Ct); turn.MoreMayFollow; turn = await delivery.SendNextAsync(channelId, Ct))
        {
            sent += turn.Sent ? 1 : 0;
        }

        return sent;
    }

    [Fact]
    public async Task RunChannel_SameSlotOnTwoWorkers_OneDigestWithTheStory()
    {
        var (store, delivery, channelId) = await SetUpAsync();
        var feed = await store.UpsertFeedAsync("https://example.org/feed.xml", "Harbor Wire", "example.org", TimeSpan.FromMinutes(15), Ct);
        var item = (await store.AddItemsAsync(feed.Id, [new Item("a", "Envoys meet in Geneva", "https://example.org/a", "", null, T0)], false, T0, Ct)).Single();
        await StorySeeds.StoryAsync(store, [item with { Relevance = new Relevance(true, 0.9, [], []) }], T0, Ct);
        var other = Delivery(store);
        var slot = T0.AddMinutes(1);

        await Task.WhenAll(delivery.RunChannelAsync(channelId, slot, Ct), other.RunChannelAsync(channelId, slot, Ct));
        await delivery.RunChannelAsync(channelId, slot, Ct);
        await Task.WhenAll(SendDueAsync(delivery, channelId), SendDueAsync(other, channelId));

        console.ToString().Split("Envoys meet in Geneva").Length.ShouldBe(2, console.ToString());
        (await store.GetPendingAsync(channelId, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Send_MessageClaimedByAnotherWorker_SentOnlyAfterItsClaimExpires()
    {
        var (store, delivery, channelId) = await SetUpAsync();
        await store.EnqueueAsync(channelId, "text", "alert:1", OutboxPayload.ForText("Talks resume in Geneva").Serialize(), T0, Ct);
        await store.ClaimNextAsync(channelId, "worker-that-dies", DigestDelivery.ClaimTtl, T0, Ct);

        var whileClaimed = await SendDueAsync(delivery, channelId);
        clock.Advance(DigestDelivery.ClaimTtl);
        var afterExpiry = await SendDueAsync(delivery, channelId);
        var again = await SendDueAsync(delivery, channelId);

        whileClaimed.ShouldBe(0);
        afterExpiry.ShouldBe(1);
        again.ShouldBe(0);
        console.ToString().Trim().ShouldBe("Talks resume in Geneva");
    }

    [Fact]
    public async Task Send_TakenOverFromAWorkerThatDiedMidSend_ThePublisherHearsAnEarlierSendMayHaveGotThrough()
    {
        var (store, _, channelId) = await SetUpAsync();
        var tried = new List<DateTimeOffset?>();
        var publisher = new ScriptedPublisher((message, _) =>
        {
            tried.Add(message.TriedSince);
            return Task.FromResult(PublishResult.Ok);
        });
        var delivery = Delivery(store, publisher);
        await store.EnqueueAsync(channelId, "text", "notice:1", OutboxPayload.ForText("Talks resume").Serialize(), T0, Ct);
        await store.ClaimNextAsync(channelId, "worker-killed-mid-send", DigestDelivery.ClaimTtl, T0, Ct);
        clock.Advance(DigestDelivery.ClaimTtl);
        await store.EnqueueAsync(channelId, "text", "notice:2", OutboxPayload.ForText("Envoys meet").Serialize(), clock.GetUtcNow(), Ct);

        var sent = await SendDueAsync(delivery, channelId);

        sent.ShouldBe(2);
        tried.ShouldBe([T0, null]);
    }

    [Fact]
    public async Task Restart_ClaimsOfThisHostsDeadProcessesEndedAtOnce_LiveProcessesAndOtherHostsKeepTheirs()
    {
        var (store, delivery, dead) = await SetUpAsync();
        var live = (await store.EnsureChannelAsync(ConsolePublisher.PlatformName, "live", null, "0 0 * * * ?", "UTC", Ct)).Id;
        var elsewhere = (await store.EnsureChannelAsync(ConsolePublisher.PlatformName, "elsewhere", null, "0 0 * * * ?", "UTC", Ct)).Id;
        var claimers = new Dictionary<long, string>
        {
            [dead] = $"{Environment.MachineName}:{int.MaxValue}:killed",
            [live] = $"{Environment.MachineName}:1:running", // pid 1 is always running
            [elsewhere] = $"another-host:{int.MaxValue}:unknown",
        };
        foreach (var (channel, claimer) in claimers)
        {
            await store.EnqueueAsync(channel, "text", $"notice:{channel}", OutboxPayload.ForText($"to {channel}").Serialize(), T0, Ct);
            await store.ClaimNextAsync(channel, claimer, DigestDelivery.ClaimTtl, T0, Ct);
        }

        var released = await DeadClaims.ReleaseAsync(store, clock.GetUtcNow(), Ct);

        released.ShouldBe(1);
        (await SendDueAsync(delivery, dead)).ShouldBe(1);
        (await SendDueAsync(delivery, live)).ShouldBe(0);
        (await SendDueAsync(delivery, elsewhere)).ShouldBe(0);
        console.ToString().Trim().ShouldBe($"to {dead}");
    }

    [Fact]
    public async Task Send_PlatformTimesOut_AFailedAttemptRetriedAfterTheBackoffNeverAShutdown()
    {
        var (store, _, channelId) = await SetUpAsync();
        var publisher = new ScriptedPublisher((_, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"));
        var delivery = Delivery(store, publisher);
        await store.EnqueueAsync(channelId, "text", "notice:1", OutboxPayload.ForText("Talks resume").Serialize(), T0, Ct);

        var turn = await delivery.SendNextAsync(channelId, Ct);

        turn.ShouldBe(new DeliveryTurn(false, false, T0.AddSeconds(2)));
        var backlog = (await store.GetOutboxBacklogAsync(Ct)).ShouldHaveSingleItem();
        backlog.LastError.ShouldBe("no answer in time");
        (await delivery.SendNextAsync(channelId, Ct)).ShouldBe(DeliveryTurn.Idle);
    }

    [Fact]
    public async Task Send_FailsEveryTime_BackoffDoublesThenSetAsideAndTheNextMessageGoes()
    {
        var (store, _, channelId) = await SetUpAsync();
        var publisher = new ScriptedPublisher((message, _) => Task.FromResult(message.Payload.Text == "doomed" ? new PublishResult(false, "HTTP 502") : PublishResult.Ok));
        var delivery = Delivery(store, publisher, new DeliveryOptions { MaxAttempts = 3 });
        await store.EnqueueAsync(channelId, "text", "notice:1", OutboxPayload.ForText("doomed").Serialize(), T0, Ct);
        await store.EnqueueAsync(channelId, "text", "notice:2", OutboxPayload.ForText("fine").Serialize(), T0, Ct);

        var first = await delivery.SendNextAsync(channelId, Ct);
        clock.Advance(TimeSpan.FromSeconds(2));
        var second = await delivery.SendNextAsync(channelId, Ct);
        clock.Advance(TimeSpan.FromSeconds(4));
        var third = await delivery.SendNextAsync(channelId, Ct);
        var next = await delivery.SendNextAsync(channelId, Ct);

        first.RetryAt.ShouldBe(T0.AddSeconds(2));
        second.RetryAt.ShouldBe(T0.AddSeconds(6));
        third.ShouldBe(new DeliveryTurn(false, true));
        next.Sent.ShouldBeTrue();
        publisher.Sent.ShouldBe(["doomed", "doomed", "doomed", "fine"]);
        (await store.GetSetAsideAsync(10, Ct)).ShouldHaveSingleItem().Reason.ShouldBe("gave up after 3 attempts: HTTP 502");
    }

    [Fact]
    public async Task Send_WorkerStopsMidSend_ClaimGivenBackAndNoAttemptCounted()
    {
        var (store, _, channelId) = await SetUpAsync();
        var started = new TaskCompletionSource();
        var publisher = new ScriptedPublisher(async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return PublishResult.Ok;
        });
        var delivery = Delivery(store, publisher);
        await store.EnqueueAsync(channelId, "text", "notice:1", OutboxPayload.ForText("Talks resume").Serialize(), T0, Ct);
        using var stopping = new CancellationTokenSource();

        var sending = delivery.SendNextAsync(channelId, stopping.Token);
        await started.Task;
        await stopping.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(sending);
        var again = await store.ClaimNextAsync(channelId, "another-worker", DigestDelivery.ClaimTtl, T0, Ct);
        again!.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task Dispatcher_OneChannelsPlatformHangs_AnotherChannelsMessageGoesOutAndAStopWithoutGraceGivesTheHungOneBack()
    {
        var (store, _, _) = await SetUpAsync();
        var hung = await store.EnsureChannelAsync("chat", "hung", null, "0 0 8 * * ?", "UTC", Ct);
        var fine = await store.EnsureChannelAsync("chat", "fine", null, "0 0 8 * * ?", "UTC", Ct);
        var delivered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = new ScriptedPublisher(async (message, token) =>
        {
            if (message.Payload.Text == "to the hung chat")
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            delivered.TrySetResult(message.Payload.Text!);
            return PublishResult.Ok;
        }, "chat");
        var signal = new OutboxSignal();
        var options = Options.Create(new DeliveryOptions());
        using var dispatcher = new DeliveryDispatcher(Delivery(store, publisher, options.Value, signal), store, store, signal, options, clock, NullLogger<DeliveryDispatcher>.Instance);
        await dispatcher.StartAsync(Ct);

        await store.EnqueueAsync(hung.Id, "text", "notice:1", OutboxPayload.ForText("to the hung chat").Serialize(), T0, Ct);
        signal.Wake(hung.Id);
        await publisher.Started.Task;
        await store.EnqueueAsync(fine.Id, "text", "notice:2", OutboxPayload.ForText("to the other chat").Serialize(), T0, Ct);
        signal.Wake(fine.Id);

        (await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct)).ShouldBe("to the other chat");
        await dispatcher.StopAsync(Ct);
        var left = (await store.GetPendingAsync(null, 10, Ct)).ShouldHaveSingleItem();
        left.DedupKey.ShouldBe("notice:1");
        left.Attempts.ShouldBe(0);
        (await store.ClaimNextAsync(hung.Id, "another-worker", DigestDelivery.ClaimTtl, T0, Ct)).ShouldNotBeNull();
    }

    private DigestDelivery Delivery(SqliteStore store, ScriptedPublisher publisher, DeliveryOptions? options = null, OutboxSignal? signal = null) => new(
        store,
        new DigestComposer(store, store, Options.Create(new DigestOptions()), clock),
        new CommunityScopes(store, store, store, new Digest.Core.Classification.TopicProfile { Id = "t", Name = "t" }),
        [publisher],
        signal ?? new OutboxSignal(),
        Options.Create(options ?? new DeliveryOptions()),
        clock,
        NullLogger<DigestDelivery>.Instance);

    /// <summary>A platform whose every send is scripted; it records the texts it was asked to send.</summary>
    private sealed class ScriptedPublisher(Func<OutboundMessage, CancellationToken, Task<PublishResult>> send, string platform = ConsolePublisher.PlatformName) : IChannelPublisher
    {
        public string Platform => platform;

        public System.Collections.Concurrent.ConcurrentQueue<string> Sent { get; } = new();

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<PublishResult> PublishAsync(ChannelRecord channel, OutboundMessage message, CancellationToken cancellationToken)
        {
            Sent.Enqueue(message.Payload.Text ?? "");
            Started.TrySetResult();
            return send(message, cancellationToken);
        }
    }

    public void Dispose()
    {
        console.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
