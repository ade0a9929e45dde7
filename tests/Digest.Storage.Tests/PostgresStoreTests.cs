using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Storage.Postgres;
using Digest.Tests.Shared;

namespace Digest.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster) : StoreContract
{
    private string? connectionString;

    private protected override async Task<IDigestStore> CreateStoreAsync(IDigestStore? shareWith = null)
    {
        connectionString = shareWith is null || connectionString is null ? await NewDatabaseAsync("store") : connectionString;
        return new PostgresStore(connectionString);
    }

    /// <summary>A new, empty database on the test cluster; the test is skipped, with the reason, when there is no cluster.</summary>
    private async Task<string> NewDatabaseAsync(string name)
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        return await cluster.CreateDatabaseAsync(name);
    }

    /// <summary>
    /// A worker that starts while another migrates a big archive (minutes for one script) waits for the migration lock
    /// as long as it takes, not the connection's command timeout (here 1 s).
    /// </summary>
    [Fact]
    public async Task Migrate_WhileAnotherWorkerHoldsTheLockLongerThanTheCommandTimeout_WaitsAndMigrates()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await NewDatabaseAsync("migrate");
        await using var holder = new Npgsql.NpgsqlConnection(database);
        await holder.OpenAsync(ct);
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(@key)", holder))
        {
            take.Parameters.AddWithValue("key", PostgresStore.MigrationLock);
            await take.ExecuteNonQueryAsync(ct);
        }

        await using var store = new PostgresStore(database + ";Command Timeout=1");
        var migrating = store.MigrateAsync(ct);

        // Once the store waits for the lock, it waits past its command timeout (twice over) and is still waiting.
        await using (var waiting = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", holder))
        {
            while ((long)(await waiting.ExecuteScalarAsync(ct))! == 0)
            {
                migrating.IsCompleted.ShouldBeFalse();
                await Task.Delay(50, ct);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        migrating.IsCompleted.ShouldBeFalse();
        await using (var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock_all()", holder))
        {
            await release.ExecuteNonQueryAsync(ct);
        }

        await migrating;
        (await store.GetFeedsAsync(ct)).ShouldBeEmpty();
    }

    /// <summary>
    /// A server that answers the login but then keeps a statement of the schema check waiting past the command timeout
    /// (another session holds a lock on the migrations table) is one line that says so: not "cannot reach".
    /// </summary>
    [Fact]
    public async Task Migrate_ServerStopsAnsweringAfterTheLogin_OneLineSayingSoNotCannotReach()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await NewDatabaseAsync("stalled");
        await using (var first = new PostgresStore(database))
        {
            await first.MigrateAsync(ct);
        }

        await using var holder = new Npgsql.NpgsqlConnection(database);
        await holder.OpenAsync(ct);
        await using var hold = await holder.BeginTransactionAsync(ct);
        await using (var take = new Npgsql.NpgsqlCommand("LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE", holder, hold))
        {
            await take.ExecuteNonQueryAsync(ct);
        }

        await using var store = new PostgresStore(database + ";Command Timeout=1");
        var fault = await Should.ThrowAsync<StorageException>(() => store.MigrateAsync(ct));

        fault.Message.ShouldStartWith("Storage:ConnectionString: PostgreSQL at ");
        fault.Message.ShouldContain("stopped answering while the bot checked its schema");
        fault.Message.ShouldNotContain("cannot reach");
        fault.Message.ShouldNotContain("\n");
    }

    /// <summary>
    /// A search that starts among the newest ids and goes further back (spans of 4, then wider, in 900 items), and one
    /// that reads the recent tier first (kept to the newest 300–600 ids by the inserts, then cut to the newest 20) and
    /// the search index below it, both with the last word's prefix read as the words it begins, find what one search
    /// over every id with the prefix as such finds: the same hits, in the same order, on every page, in a community's
    /// feeds — also after a removed feed's items left the archive.
    /// </summary>
    [Fact]
    public async Task Search_FromTheNewestIdsBack_SameHitsAsOverEveryId()
    {
        var store = (PostgresStore)await StoreAsync();
        var everyId = new PostgresStore(connectionString!) { MostPrefixWords = 0, SearchRecentFirst = false };
        await using var disposeEveryId = everyId;
        var spans = new PostgresStore(connectionString!) { FirstSearchSpan = 4, SearchRecentFirst = false };
        await using var disposeSpans = spans;
        var ct = TestContext.Current.CancellationToken;
        await using var database = new Npgsql.NpgsqlConnection(connectionString);
        await database.OpenAsync(ct);
        async Task<long> SqlAsync(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, database);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        await SqlAsync("UPDATE search_recent_since SET keep = 300 RETURNING keep");
        var wire = await store.UpsertFeedAsync("https://example.org/wire.xml", "Wire", "example.org", TimeSpan.FromMinutes(15), ct);
        var mirror = await store.UpsertFeedAsync("https://example.org/mirror.xml", "Mirror", "example.org", TimeSpan.FromMinutes(15), ct);
        var gone = await store.UpsertFeedAsync("https://example.org/gone.xml", "Gone", "example.org", TimeSpan.FromMinutes(15), ct);
        var at = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);

        // "talks" in every item (more than the 200 candidates), "peace talks" in one of seven, "geneva" in one of
        // ninety (rare: one search over every id), some in the headline; every third item a copy on the mirror.
        Item Numbered(int n, string key) => new(
            key,
            n % 5 == 0 ? $"Peace talks {n}" : $"Report {n}",
            $"https://example.org/{n}",
            $"Envoys held talks on day {n}.{(n % 7 == 0 ? " The peace talks went on." : "")}{(n % 90 == 0 ? " In Geneva." : "")}{(n % 11 == 0 ? " Peaceful talkers met peacekeepers." : "")}{(n % 13 == 0 ? @" O'Brien's file C:\\talk\\notes." : "")}",
            null,
            at.AddMinutes(n % 97));
        foreach (var chunk in Enumerable.Range(0, 900).Chunk(100))
        {
            await store.AddItemsAsync(wire.Id, [.. chunk.Select(n => Numbered(n, $"w{n}"))], false, at, ct);
            await store.AddItemsAsync(mirror.Id, [.. chunk.Where(n => n % 3 == 0).Select(n => Numbered(n, $"m{n}"))], false, at, ct);
            await store.AddItemsAsync(gone.Id, [.. chunk.Where(n => n % 4 == 0).Select(n => Numbered(n, $"g{n}"))], false, at, ct);
        }

        (await store.RemoveFeedAsync(gone.Id, ct)).ShouldBeTrue();
        var newest = await SqlAsync("SELECT max(id) FROM items");
        var since = await SqlAsync("SELECT since FROM search_recent_since");
        (newest - since).ShouldBeInRange(300, 600);
        (await SqlAsync("SELECT count(*) FROM search_recent")).ShouldBeLessThan(await SqlAsync("SELECT count(*) FROM items"));
        await CompareAsync();

        // A smaller tier (raising the bound keeps it whole above it): more of each search reads the index below it.
        await SqlAsync($"UPDATE search_recent_since SET since = {newest - 20} RETURNING since");
        await CompareAsync();

        async Task CompareAsync()
        {
            foreach (var query in (string[])["talks", "peace talks", "geneva", "\"held talks\" OR geneva", "peac", "held talk", "talks tal", "talks talks", "peace OR talke", "o'bri", "brien", "\"peace talks\" peacek", "pea", "zzz"])
            {
                foreach (var scope in (long[]?[])[null, [wire.Id], [mirror.Id]])
                {
                    foreach (var offset in (int[])[0, 5, 120, 195])
                    {
                        var expected = await everyId.SearchAsync(query, scope, offset, 6, ct);
                        var found = await spans.SearchAsync(query, scope, offset, 6, ct);
                        var tiered = await store.SearchAsync(query, scope, offset, 6, ct);
                        var where = $"{query} in {(scope is null ? "every feed" : string.Join(",", scope))} from {offset}";
                        found.Select(h => (h.ItemId, h.Snippet)).ShouldBe(expected.Select(h => (h.ItemId, h.Snippet)), where);
                        tiered.Select(h => (h.ItemId, h.Snippet)).ShouldBe(expected.Select(h => (h.ItemId, h.Snippet)), "recent tier first: " + where);
                    }
                }
            }
        }

        (await spans.SearchAsync("talks", null, 0, 6, ct)).ShouldAllBe(h => h.Title.StartsWith("Peace talks"));
        // The prefix as the words it begins (C:\\talk\\notes gave "talk"), unless the word is in the query twice or
        // the store is told to keep prefixes.
        (await spans.IndexedQueryAsync("held talk", ct)).ShouldBe("( 'talk' | 'talkers' | 'talks' ) & 'held'");
        (await spans.IndexedQueryAsync("\"peace talks\" peacek", ct)).ShouldNotContain(":*");
        (await spans.IndexedQueryAsync("talks talks", ct)).ShouldContain("'talks':*");
        (await everyId.IndexedQueryAsync("held talk", ct)).ShouldBe("'held' & 'talk':*");
        (await spans.SearchAsync("geneva", [wire.Id], 0, 20, ct)).Count.ShouldBe(10);
    }

    /// <summary>
    /// Searches run on connections of their own, at most <see cref="PostgresStore.SearchConnections"/>: a dozen at once
    /// all get the answer one alone gets (they wait their turn, none fails), and the server sees no more search
    /// connections than that, still open afterwards, while the store's other work goes on beside them.
    /// </summary>
    [Fact]
    public async Task Search_ManyAtOnce_SameAnswersOnFewConnectionsOfTheirOwn()
    {
        var store = (PostgresStore)await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var feed = await store.UpsertFeedAsync("https://example.org/wire.xml", "Wire", "example.org", TimeSpan.FromMinutes(15), ct);
        var at = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        await store.AddItemsAsync(feed.Id, [.. Enumerable.Range(0, 60).Select(n => new Item($"k{n}", n % 4 == 0 ? $"Peace talks {n}" : $"Report {n}", $"https://example.org/{n}", $"Envoys held talks on day {n}.", null, at.AddMinutes(n)))], false, at, ct);

        var alone = (await store.SearchAsync("peace talks", [feed.Id], 0, 5, ct)).Select(h => h.ItemId).ToList();
        alone.Count.ShouldBe(5);
        var together = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 3 == 0
            ? store.SearchAsync("peace talks", [feed.Id], 0, 5, ct)
            : Task.Run(async () => { _ = await store.GetScopeFeedIdsAsync("c1", ct); return await store.SearchAsync("peace talks", [feed.Id], 0, 5, ct); }, ct)));
        together.ShouldAllBe(hits => hits.Select(h => h.ItemId).SequenceEqual(alone));

        await using var database = new Npgsql.NpgsqlConnection(connectionString);
        await database.OpenAsync(ct);
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'digest search'", database);
        ((long)(await count.ExecuteScalarAsync(ct))!).ShouldBeInRange(1, PostgresStore.SearchConnections);
    }

    /// <summary>
    /// The page of a search is read by a statement prepared on the search connection, which the server plans once for
    /// every later search (after five runs it keeps one plan): searches that reuse it — other words, another page,
    /// another scope or none, each asked eight times — get what a store that never searched before gets.
    /// </summary>
    [Fact]
    public async Task Search_PageStatementPrepared_LaterSearchesSameAnswersAsAFreshStore()
    {
        var store = (PostgresStore)await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var wire = await store.UpsertFeedAsync("https://example.org/wire.xml", "Wire", "example.org", TimeSpan.FromMinutes(15), ct);
        var mirror = await store.UpsertFeedAsync("https://example.org/mirror.xml", "Mirror", "example.org", TimeSpan.FromMinutes(15), ct);
        var at = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Item Numbered(int n, string key) => new(
            key, n % 4 == 0 ? $"Peace talks {n}" : $"Report {n}", $"https://example.org/{n}", $"Envoys held talks on day {n}.{(n % 6 == 0 ? " Then a ceasefire." : "")}", null, at.AddMinutes(n));
        await store.AddItemsAsync(wire.Id, [.. Enumerable.Range(0, 120).Select(n => Numbered(n, $"w{n}"))], false, at, ct);
        await store.AddItemsAsync(mirror.Id, [.. Enumerable.Range(0, 120).Where(n => n % 3 == 0).Select(n => Numbered(n, $"m{n}"))], false, at, ct);

        (await store.SearchAsync("peace talks", [wire.Id, mirror.Id], 0, 5, ct)).Count.ShouldBe(5);
        (await store.SearchStatementsPreparedAsync(ct)).ShouldContain(s => s.Contains("ts_headline"));

        foreach (var (query, scope, offset) in new (string, long[]?, int)[] { ("peace talks", [wire.Id, mirror.Id], 0), ("talks", [mirror.Id], 5), ("ceasefire", null, 0), ("held", [wire.Id], 10) })
        {
            await using var fresh = new PostgresStore(connectionString!);
            var expected = await fresh.SearchAsync(query, scope, offset, 5, ct);
            expected.ShouldNotBeEmpty();
            for (var i = 0; i < 8; i++)
            {
                (await store.SearchAsync(query, scope, offset, 5, ct)).ShouldBe(expected);
            }
        }
    }

    [Fact]
    public void TsQuery_UserWords_QuotedAllRequiredLastIsAPrefix()
    {
        PostgresStore.TsQuery("Security guar").ShouldBe("(('security') & ('guar':*))");
        PostgresStore.TsQuery("\"security guarantees\" OR Geneva").ShouldBe("(('security' <-> 'guarantees')) | (('geneva':*))");
        PostgresStore.TsQuery("' & | !").ShouldBe("");
        PostgresStore.TsQuery("\"security guarantees\" guar", "A").ShouldBe("(('security':A <-> 'guarantees':A) & ('guar':*A))");
    }
}
