using Digest.Core.Classification;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Items;
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
        var delivery = new DigestDelivery(
            store,
            new DigestComposer(store, Options.Create(new DigestOptions()), clock),
            new CommunityScopes(store, new Digest.Core.Classification.TopicProfile { Id = "t", Name = "t" }),
            [new ConsolePublisher(new ConsoleOutput(console, "text"))],
            clock,
            NullLogger<DigestDelivery>.Instance);
        return (store, delivery, channel.Id);
    }

    [Fact]
    public async Task RunChannel_SameSlotOnTwoWorkers_OneDigestWithTheStory()
    {
        var (store, delivery, channelId) = await SetUpAsync();
        var feed = await store.UpsertFeedAsync("https://example.org/feed.xml", "Harbor Wire", "example.org", TimeSpan.FromMinutes(15), Ct);
        var item = (await store.AddItemsAsync(feed.Id, [new Item("a", "Envoys meet in Geneva", "https://example.org/a", "", null, T0)], false, T0, Ct)).Single();
        await StorySeeds.StoryAsync(store, [item with { Relevance = new Relevance(true, 0.9, [], []) }], T0, Ct);
        var other = new DigestDelivery(store, new DigestComposer(store, Options.Create(new DigestOptions()), clock), new CommunityScopes(store, new Digest.Core.Classification.TopicProfile { Id = "t", Name = "t" }),
            [new ConsolePublisher(new ConsoleOutput(console, "text"))], clock, NullLogger<DigestDelivery>.Instance);
        var slot = T0.AddMinutes(1);

        await Task.WhenAll(delivery.RunChannelAsync(channelId, slot, Ct), other.RunChannelAsync(channelId, slot, Ct));
        await delivery.RunChannelAsync(channelId, slot, Ct);

        console.ToString().Split("Envoys meet in Geneva").Length.ShouldBe(2, console.ToString());
        (await store.GetPendingAsync(channelId, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Flush_MessageClaimedByAnotherWorker_SentOnlyAfterItsClaimExpires()
    {
        var (store, delivery, channelId) = await SetUpAsync();
        await store.EnqueueAsync(channelId, "text", "alert:1", OutboxPayload.ForText("Talks resume in Geneva").Serialize(), T0, Ct);
        await store.ClaimNextAsync(channelId, "worker-that-dies", DigestDelivery.ClaimTtl, T0, Ct);
        var channel = (await store.GetChannelAsync(channelId, Ct))!;

        var whileClaimed = await delivery.FlushAsync(channel, Ct);
        clock.Advance(DigestDelivery.ClaimTtl);
        var afterExpiry = await delivery.FlushAsync(channel, Ct);
        var again = await delivery.FlushAsync(channel, Ct);

        whileClaimed.ShouldBe(0);
        afterExpiry.ShouldBe(1);
        again.ShouldBe(0);
        console.ToString().Trim().ShouldBe("Talks resume in Geneva");
    }

    public void Dispose()
    {
        console.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
