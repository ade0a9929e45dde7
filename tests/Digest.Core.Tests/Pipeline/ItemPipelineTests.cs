using Digest.Core.Classification;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Digest.Core.Stories;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests.Pipeline;

/// <summary>Two workers — two pipelines, each with its own in-memory clusterer — over one store, as on PostgreSQL.</summary>
public sealed class ItemPipelineTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 10, 8, 0, 0, TimeSpan.Zero);

    private readonly string directory = Directory.CreateTempSubdirectory("digest-pipeline-").FullName;
    private readonly FakeTimeProvider time = new(T0);
    private readonly ServiceProvider fetcherServices = FetcherServices.Build();
    private readonly SqliteStore store;

    public ItemPipelineTests() => store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await fetcherServices.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Process_AnotherWorkerStartedTheStory_JoinsItInsteadOfStartingAnother()
    {
        await store.MigrateAsync(Ct);
        var workerA = Worker();
        var workerB = Worker();
        var wire = await FeedAsync("Harbor Wire");
        var post = await FeedAsync("Evening Post");

        var first = await StoreAsync(wire, "a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", hours: 0);
        await workerA.ProcessAsync(first, Ct);
        var second = await StoreAsync(post, "b1", "Ukraine, US officials sit down in Geneva to discuss Trump peace plan", hours: 2);
        await workerB.ProcessAsync(second, Ct);

        var stories = await store.GetStoriesAsync(new StoryQuery(10), Ct);
        stories.Count.ShouldBe(1);
        stories[0].ItemCount.ShouldBe(2);
    }

    [Fact]
    public async Task Process_ModeratorIncludePhrase_MakesARejectedItemAStoryOnlyThatCommunityIsShown()
    {
        await store.MigrateAsync(Ct);
        await store.SetTopicSettingsAsync("telegram:-1", new TopicSettings(["grain corridor"], [], null), Ct);
        var wire = await FeedAsync("Harbor Wire");
        var items = await StoreAsync(wire, "g1", "Ships resume sailings through the Black Sea grain corridor", hours: 0);

        await Worker(new NoneRelevant()).ProcessAsync(items, Ct);

        var story = (await store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
        (await store.GetStoryItemsAsync(story.Id, Ct)).Single().Relevance!.Reasons.ShouldContain("included by a moderator: grain corridor");
        var profile = new TopicProfile { Id = "t", Name = "t", Threshold = 0.5 };
        new Digests.CommunityScope(null, new TopicSettings(["grain corridor"], [], null), profile.Threshold).Admits(story).ShouldBeTrue();
        new Digests.CommunityScope(null, TopicSettings.Default, profile.Threshold).Admits(story).ShouldBeFalse();
    }

    [Fact]
    public async Task Process_ItemStoredEarlierClusteredByAnotherWorkerLater_StillJoinedByTheFirstWorker()
    {
        await store.MigrateAsync(Ct);
        var workerA = Worker();
        var workerB = Worker();
        var wire = await FeedAsync("Harbor Wire");
        var post = await FeedAsync("Evening Post");
        var daily = await FeedAsync("Morning Daily");

        // B stores its item first but waits for A's pass: B's item has the lower id yet joins a story after A's.
        var waiting = await StoreAsync(post, "b1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", hours: 0);
        var other = await StoreAsync(wire, "a1", "Russian drones hit power plants in western Ukraine overnight", hours: 0);
        await workerA.ProcessAsync(other, Ct);
        await workerB.ProcessAsync(waiting, Ct);
        var later = await StoreAsync(daily, "a2", "Ukraine, US officials sit down in Geneva to discuss Trump peace plan", hours: 2);
        await workerA.ProcessAsync(later, Ct);

        var genevaStory = await StoryOfAsync(waiting[0].Id);
        (await StoryOfAsync(later[0].Id)).ShouldBe(genevaStory);
        (await store.GetStoriesAsync(new StoryQuery(10), Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Process_PipelineLockHeldByAnotherWorker_WaitsForItsRelease()
    {
        await store.MigrateAsync(Ct);
        var worker = Worker();
        var wire = await FeedAsync("Harbor Wire");
        var items = await StoreAsync(wire, "a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", hours: 0);
        (await store.TryAcquireLeaseAsync("pipeline", "other-worker", ItemPipeline.LockTtl, time.GetUtcNow(), Ct)).ShouldBeTrue();

        var pass = worker.ProcessAsync(items, Ct);
        var storiesWhileHeld = await store.GetStoriesAsync(new StoryQuery(10), Ct);
        await store.ReleaseLeaseAsync("pipeline", "other-worker", Ct);
        time.Advance(ItemPipeline.LockRetry);
        await pass;

        storiesWhileHeld.ShouldBeEmpty();
        pass.IsCompletedSuccessfully.ShouldBeTrue();
        (await store.GetStoriesAsync(new StoryQuery(10), Ct)).Count.ShouldBe(1);
    }

    private async Task<long?> StoryOfAsync(long itemId) =>
        (await store.GetItemsSinceAsync(DateTimeOffset.MinValue, Ct)).Single(i => i.Id == itemId).StoryId;

    private ItemPipeline Worker(IRelevanceClassifier? classifier = null) => new(
        store,
        store,
        store,
        store,
        classifier ?? new AllRelevant(),
        new StoryClusterer(TimeSpan.FromHours(48), [new WeightedTerm("Geneva", [], 1)]),
        new ExtractiveKeyLines(),
        new ArticleTextFetcher(fetcherServices.GetRequiredService<FeedFetcher>(), Options.Create(new SummarizationOptions { FullText = { Enabled = false } }), NullLogger<ArticleTextFetcher>.Instance),
        [],
        Options.Create(new DigestOptions()),
        time,
        NullLogger<ItemPipeline>.Instance);

    private async Task<long> FeedAsync(string name) =>
        (await store.UpsertFeedAsync($"https://example.org/{name.Replace(' ', '-')}.xml", name, "example.org", TimeSpan.FromMinutes(15), Ct)).Id;

    private async Task<IReadOnlyList<StoredItem>> StoreAsync(long feedId, string key, string title, int hours) =>
        await store.AddItemsAsync(feedId, [new Item(key, title, $"https://example.org/{key}", "", null, T0.AddHours(hours))], isBacklog: false, T0.AddHours(hours), Ct);

    private sealed class AllRelevant : IRelevanceClassifier
    {
        public Relevance Classify(ClassifierInput input) => new(true, 0.9, [], []);
    }

    private sealed class NoneRelevant : IRelevanceClassifier
    {
        public Relevance Classify(ClassifierInput input) => new(false, 0.1, [], ["no Russia/Ukraine context"]);
    }
}
