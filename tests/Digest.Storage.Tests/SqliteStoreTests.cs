using Digest.Core.Storage;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Digest.Storage.Tests;

public sealed class SqliteStoreTests : StoreContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-store-").FullName;

    private protected override Task<IDigestStore> CreateStoreAsync(IDigestStore? shareWith = null) =>
        Task.FromResult<IDigestStore>(new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}"));

    [Fact]
    public async Task Search_PrefixWithOrWithoutDiacritics_FindsTheFoldedWord()
    {
        var store = await StoreAsync();
        var feed = await store.UpsertFeedAsync("https://example.org/feed.xml", "Harbor Wire", "example.org", TimeSpan.FromMinutes(15), TestContext.Current.CancellationToken);
        await store.AddItemsAsync(feed.Id, [new("a", "Talks in Zürich", "https://example.org/a", "", null, DateTimeOffset.UnixEpoch)], false, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken);

        (await store.SearchAsync("Zür", null, 0, 10, TestContext.Current.CancellationToken)).Single().Title.ShouldBe("Talks in Zürich");
        (await store.SearchAsync("zur", null, 0, 10, TestContext.Current.CancellationToken)).Single().Title.ShouldBe("Talks in Zürich");
    }

    protected override void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
