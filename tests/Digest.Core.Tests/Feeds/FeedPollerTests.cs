using Digest.Core.Feeds;
using Digest.Core.Pipeline;
using Digest.Core.Tests.TestSupport;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests.Feeds;

/// <summary>Whatever goes wrong while a feed is polled is that feed's recorded failure, with backoff — never an exception out of the job.</summary>
public sealed class FeedPollerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 10, 8, 0, 0, TimeSpan.Zero);

    private readonly string directory = Directory.CreateTempSubdirectory("digest-poller-").FullName;
    private readonly FakeTimeProvider time = new(T0);
    private readonly ServiceProvider fetcherServices = FetcherServices.Build();
    private readonly SqliteStore store;

    public FeedPollerTests() => store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await fetcherServices.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Poll_StoreThrows_RecordedAsTheFeedsFailureWithBackoff()
    {
        await store.MigrateAsync(Ct);
        var path = Path.Combine(directory, "feed.xml");
        await File.WriteAllTextAsync(path, SampleFeeds.GoodRss, Ct);
        var feed = await store.UpsertFeedAsync(path, "Harbour", "feed", TimeSpan.FromMinutes(15), Ct);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "digest.db")}"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER items_explode BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'store exploded'); END";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var report = await Poller().PollAsync(feed, Ct);

        report.Status.ShouldBe(FetchStatus.Failed);
        report.Error.ShouldNotBeNull().ShouldContain("store exploded");
        var stored = (await store.GetFeedAsync(feed.Id, Ct))!;
        stored.LastError.ShouldNotBeNull().ShouldContain("store exploded");
        stored.ConsecutiveFailures.ShouldBe(1);
        stored.NextPollAt.ShouldNotBeNull().ShouldBeGreaterThan(T0);
        stored.BacklogStored.ShouldBeFalse();
    }

    [Fact]
    public async Task Poll_UnsupportedEncoding_RecordedAsAFailure()
    {
        await store.MigrateAsync(Ct);
        var path = Path.Combine(directory, "seven.xml");
        await File.WriteAllTextAsync(path, "<?xml version=\"1.0\" encoding=\"utf-7\"?><rss version=\"2.0\"><channel><title>x</title></channel></rss>", Ct);
        var feed = await store.UpsertFeedAsync(path, "Seven", "seven", TimeSpan.FromMinutes(15), Ct);

        var report = await Poller().PollAsync(feed, Ct);

        report.Error.ShouldBe("unsupported encoding utf-7 (from the XML declaration)");
        (await store.GetFeedAsync(feed.Id, Ct))!.ConsecutiveFailures.ShouldBe(1);
    }

    private FeedPoller Poller() => new(
        fetcherServices.GetRequiredService<FeedFetcher>(),
        store,
        store,
        new PipelineSignals(),
        Options.Create(new FeedsOptions()),
        time,
        NullLogger<FeedPoller>.Instance);
}
