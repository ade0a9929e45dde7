using System.Data;
using System.Text.Json;
using Dapper;
using Digest.Core.Classification;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Core.Summarization;
using Digest.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Digest.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, FTS5 for search. Times are Unix milliseconds.</summary>
public sealed class SqliteStore : IDigestStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string connectionString;

    public SqliteStore(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true, DefaultTimeout = 30 };
        if (builder.DataSource is { Length: > 0 } file && builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        this.connectionString = builder.ToString();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static long? Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        foreach (var (version, name, sql) in MigrationScripts.For("Sqlite"))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            // The transaction takes the write lock first (BEGIN IMMEDIATE), so a second process migrating at once skips what the first applied.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, transaction) > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = Ms(TimeProvider.System.GetUtcNow()) },
                transaction);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    // ---- Feeds

    private sealed class FeedRow
    {
        public long id { get; init; }
        public string url { get; init; } = "";
        public string name { get; init; } = "";
        public long interval_seconds { get; init; }
        public string? etag { get; init; }
        public string? last_modified { get; init; }
        public long? last_polled_at { get; init; }
        public long? last_success_at { get; init; }
        public string? last_error { get; init; }
        public long consecutive_failures { get; init; }
        public long? next_poll_at { get; init; }
        public string? paused_reason { get; init; }
        public long backlog_stored { get; init; }
        public long added_at { get; init; }

        public FeedRecord ToRecord() => new(id, url, name, TimeSpan.FromSeconds(interval_seconds), etag, last_modified, At(last_polled_at), At(last_success_at),
            last_error, (int)consecutive_failures, At(next_poll_at), paused_reason, backlog_stored != 0);
    }

    public async Task<FeedRecord> UpsertFeedAsync(string url, string? name, string fallbackName, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<FeedRow>(
            """
            INSERT INTO feeds(url, name, interval_seconds, added_at) VALUES (@url, coalesce(@name, @fallbackName), @interval, @now)
            ON CONFLICT(url) DO UPDATE SET name = coalesce(@name, name), interval_seconds = excluded.interval_seconds
            RETURNING *
            """,
            new { url, name, fallbackName, interval = (long)interval.TotalSeconds, now = Ms(TimeProvider.System.GetUtcNow()) });
        return row.ToRecord();
    }

    public async Task<IReadOnlyList<FeedRecord>> GetFeedsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FeedRow>("SELECT * FROM feeds ORDER BY id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<FeedRecord?> GetFeedAsync(long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<FeedRow>("SELECT * FROM feeds WHERE id = @feedId", new { feedId }))?.ToRecord();
    }

    public async Task RecordPollAsync(long feedId, FeedPollOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE feeds SET etag = @ETag, last_modified = @LastModified, last_polled_at = @polled,
                last_success_at = CASE WHEN @Success THEN @polled ELSE last_success_at END,
                last_error = @Error, consecutive_failures = @ConsecutiveFailures, next_poll_at = @next, paused_reason = @PausedReason,
                backlog_stored = CASE WHEN @Success THEN 1 ELSE backlog_stored END
            WHERE id = @feedId
            """,
            new { feedId, outcome.ETag, outcome.LastModified, polled = Ms(outcome.PolledAt), outcome.Success, outcome.Error, outcome.ConsecutiveFailures, next = Ms(outcome.NextPollAt), outcome.PausedReason });
    }

    public async Task<bool> RemoveFeedAsync(long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM feeds WHERE id = @feedId", new { feedId }) > 0;
    }

    // ---- Items

    private sealed class ItemRow
    {
        public long id { get; init; }
        public long feed_id { get; init; }
        public string feed_name { get; init; } = "";
        public string item_key { get; init; } = "";
        public string title { get; init; } = "";
        public string url { get; init; } = "";
        public string summary { get; init; } = "";
        public string? author { get; init; }
        public long published_at { get; init; }
        public long first_seen { get; init; }
        public long is_backlog { get; init; }
        public long? relevant { get; init; }
        public double? score { get; init; }
        public string? tags { get; init; }
        public string? reasons { get; init; }
        public long? story_id { get; init; }

        public StoredItem ToStored() => new(
            id,
            feed_id,
            feed_name,
            new Item(item_key, title, url, summary, author, At(published_at)),
            At(first_seen),
            is_backlog != 0,
            relevant is null ? null : new Relevance(relevant != 0, score ?? 0, Strings(tags), Strings(reasons)),
            story_id);
    }

    private const string ItemColumns = "i.id, i.feed_id, f.name AS feed_name, i.item_key, i.title, i.url, i.summary, i.author, i.published_at, i.first_seen, i.is_backlog, i.relevant, i.score, i.tags, i.reasons, i.story_id";

    public async Task<IReadOnlyList<StoredItem>> AddItemsAsync(long feedId, IReadOnlyList<Item> items, bool isBacklog, DateTimeOffset firstSeen, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var name = await connection.QuerySingleAsync<string>("SELECT name FROM feeds WHERE id = @feedId", new { feedId }, transaction);
        var added = new List<StoredItem>();
        foreach (var item in items)
        {
            var id = await connection.QuerySingleOrDefaultAsync<long?>(
                """
                INSERT INTO items(feed_id, item_key, title, url, summary, author, published_at, first_seen, is_backlog)
                VALUES (@feedId, @Key, @Title, @Url, @Summary, @Author, @published, @seen, @isBacklog)
                ON CONFLICT(feed_id, item_key) DO NOTHING
                RETURNING id
                """,
                new { feedId, item.Key, item.Title, item.Url, item.Summary, item.Author, published = Ms(item.Published), seen = Ms(firstSeen), isBacklog },
                transaction);
            if (id is { } newId)
            {
                added.Add(new StoredItem(newId, feedId, name, item, firstSeen, isBacklog, null, null));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task SetRelevanceAsync(long itemId, Relevance relevance, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE items SET relevant = @relevant, score = @Score, tags = @tags, reasons = @reasons WHERE id = @itemId",
            new { itemId, relevant = relevance.Relevant, relevance.Score, tags = JsonSerializer.Serialize(relevance.Tags, Json), reasons = JsonSerializer.Serialize(relevance.Reasons, Json) });
    }

    public async Task<IReadOnlyList<StoredItem>> GetItemsSinceAsync(DateTimeOffset firstSeenAfter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.first_seen > @since ORDER BY i.id",
            new { since = Ms(firstSeenAfter) });
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<IReadOnlyList<StoredItem>> GetClusteredItemsAsync(long afterItemId, DateTimeOffset firstSeenAfter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id IS NOT NULL AND i.id > @afterItemId AND i.first_seen > @since ORDER BY i.id",
            new { afterItemId, since = Ms(firstSeenAfter) });
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<IReadOnlyList<StoredItem>> GetUnclassifiedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.relevant IS NULL ORDER BY i.id LIMIT @limit",
            new { limit });
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<IReadOnlyList<StoredItem>> GetStoryItemsAsync(long storyId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id = @storyId ORDER BY i.published_at, i.id",
            new { storyId });
        return rows.Select(r => r.ToStored()).ToList();
    }

    private sealed class HitRow
    {
        public long id { get; init; }
        public long? story_id { get; init; }
        public string title { get; init; } = "";
        public string url { get; init; } = "";
        public string feed_name { get; init; } = "";
        public long published_at { get; init; }
        public string snippet { get; init; } = "";
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, IReadOnlyCollection<long>? feedIds, int offset, int limit, CancellationToken cancellationToken)
    {
        var match = FtsQuery(query);
        if (match.Length == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HitRow>(
            $"""
            SELECT i.id, i.story_id, i.title, i.url, f.name AS feed_name, i.published_at,
                   snippet(items_fts, 1, '«', '»', '…', 16) AS snippet
            FROM items_fts JOIN items i ON i.id = items_fts.rowid JOIN feeds f ON f.id = i.feed_id
            WHERE items_fts MATCH @match{(feedIds is null ? "" : $" AND i.feed_id IN ({string.Join(',', feedIds.DefaultIfEmpty(-1))})")}
            ORDER BY bm25(items_fts, 3.0, 1.0), i.published_at DESC
            LIMIT @limit OFFSET @offset
            """,
            new { match, limit, offset });
        return rows.Select(r => new SearchHit(r.id, r.story_id, r.title, r.url, r.feed_name, At(r.published_at), r.snippet)).ToList();
    }

    /// <summary>User words as FTS5 terms: each quoted (no operators reach the engine), all required, the last one a prefix.</summary>
    internal static string FtsQuery(string query)
    {
        var words = query.Split((char[])[' ', '\t', '\n', '"', '\'', '(', ')', '*', ':', '^', '-', '+', ',', '.', ';', '!', '?', '{', '}', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select((w, i) => i == words.Length - 1 ? $"\"{w}\"*" : $"\"{w}\""));
    }

    // ---- Stories

    public async Task<long> CreateStoryAsync(StoredItem first, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.QuerySingleAsync<long>(
            "INSERT INTO stories(title, url, score, first_seen, last_seen) VALUES (@Title, @Url, @score, @seen, @seen) RETURNING id",
            new { first.Item.Title, first.Item.Url, score = first.Relevance?.Score ?? 0, seen = Ms(at) },
            transaction);
        await connection.ExecuteAsync("UPDATE items SET story_id = @id WHERE id = @itemId", new { id, itemId = first.Id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task AttachToStoryAsync(long itemId, long storyId, long? duplicateOfItemId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE items SET story_id = @storyId, duplicate_of = @duplicateOfItemId WHERE id = @itemId;
            UPDATE stories SET last_seen = max(last_seen, @at) WHERE id = @storyId;
            """,
            new { itemId, storyId, duplicateOfItemId, at = Ms(at) });
    }

    public async Task UpdateStoryAsync(long storyId, string title, string url, double score, IReadOnlyList<string> tags, IReadOnlyList<KeyLine> keyLines, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE stories SET title = @title, url = @url, score = @score, tags = @tags, key_lines = @lines WHERE id = @storyId",
            new { storyId, title, url, score, tags = JsonSerializer.Serialize(tags, Json), lines = JsonSerializer.Serialize(keyLines, Json) });
    }

    private sealed class StoryRow
    {
        public long id { get; init; }
        public string title { get; init; } = "";
        public string url { get; init; } = "";
        public double score { get; init; }
        public string tags { get; init; } = "";
        public string key_lines { get; init; } = "";
        public long first_seen { get; init; }
        public long last_seen { get; init; }
        public long published { get; init; }
        public long item_count { get; init; }
    }

    private const string StorySelect =
        """
        SELECT s.id, s.title, s.url, s.score, s.tags, s.key_lines, s.first_seen, s.last_seen,
               (SELECT max(published_at) FROM items WHERE story_id = s.id) AS published,
               (SELECT count(*) FROM items WHERE story_id = s.id) AS item_count
        FROM stories s
        """;

    public async Task<StoryRecord?> GetStoryAsync(long storyId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoryRow>($"{StorySelect} WHERE s.id = @storyId", new { storyId });
        return (await WithSourcesAsync(connection, rows.ToList())).FirstOrDefault();
    }

    public async Task<IReadOnlyList<StoryRecord>> GetStoriesAsync(StoryQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (query.SeenAfter is not null)
        {
            where.Add("last_seen > @seenAfter");
        }

        if (query.PublishedAfter is not null)
        {
            where.Add("published > @publishedAfter");
        }

        if (query.FeedIds is { } feedIds)
        {
            where.Add($"EXISTS (SELECT 1 FROM items x WHERE x.story_id = q.id AND x.feed_id IN ({string.Join(',', feedIds.DefaultIfEmpty(-1))}))");
        }

        if (query.NotSentToChannel is not null)
        {
            where.Add("NOT EXISTS (SELECT 1 FROM digest_entries d WHERE d.channel_id = @channelId AND d.story_id = q.id AND d.last_seen_sent >= q.last_seen)");
        }

        var sql = $"SELECT * FROM ({StorySelect}) q {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY published DESC, id DESC LIMIT @limit";
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoryRow>(sql, new { seenAfter = Ms(query.SeenAfter), publishedAfter = Ms(query.PublishedAfter), limit = query.Limit, channelId = query.NotSentToChannel });
        return await WithSourcesAsync(connection, rows.ToList());
    }

    private sealed class SourceRow
    {
        public long story_id { get; init; }
        public string name { get; init; } = "";
        public string url { get; init; } = "";
        public long feed_id { get; init; }
    }

    private static async Task<IReadOnlyList<StoryRecord>> WithSourcesAsync(SqliteConnection connection, List<StoryRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var sources = (await connection.QueryAsync<SourceRow>(
                $"SELECT i.story_id, f.name, i.url, i.feed_id FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id IN ({string.Join(',', rows.Select(r => r.id))}) ORDER BY i.published_at, i.id"))
            .GroupBy(s => s.story_id)
            .ToDictionary(g => g.Key, g => g.DistinctBy(s => s.feed_id).Select(s => new StorySource(s.name, s.url)).ToList());
        return rows.Select(r => new StoryRecord(
            r.id,
            r.title,
            r.url,
            r.score,
            Strings(r.tags),
            sources.GetValueOrDefault(r.id) ?? [],
            JsonSerializer.Deserialize<List<KeyLine>>(r.key_lines, Json) ?? [],
            At(r.first_seen),
            At(r.last_seen),
            At(r.published),
            (int)r.item_count)).ToList();
    }

    // ---- Channels and outbox

    private sealed class ChannelRow
    {
        public long id { get; init; }
        public string platform { get; init; } = "";
        public string address { get; init; } = "";
        public string? community_id { get; init; }
        public string schedule { get; init; } = "";
        public string time_zone { get; init; } = "";
        public long? last_digest_at { get; init; }
        public string? paused_reason { get; init; }

        public ChannelRecord ToRecord() => new(id, platform, address, community_id, schedule, time_zone, At(last_digest_at), paused_reason);
    }

    public async Task<ChannelRecord> EnsureChannelAsync(string platform, string address, string? communityId, string schedule, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<ChannelRow>(
            """
            INSERT INTO channels(platform, address, community_id, schedule, time_zone) VALUES (@platform, @address, @communityId, @schedule, @timeZone)
            ON CONFLICT(platform, address) DO UPDATE SET community_id = coalesce(excluded.community_id, community_id)
            RETURNING *
            """,
            new { platform, address, communityId, schedule, timeZone });
        return row.ToRecord();
    }

    public async Task<IReadOnlyList<ChannelRecord>> GetChannelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChannelRow>("SELECT * FROM channels ORDER BY id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<ChannelRecord?> GetChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<ChannelRow>("SELECT * FROM channels WHERE id = @channelId", new { channelId }))?.ToRecord();
    }

    public async Task SetChannelScheduleAsync(long channelId, string schedule, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE channels SET schedule = @schedule, time_zone = @timeZone WHERE id = @channelId", new { channelId, schedule, timeZone });
    }

    public async Task SetChannelPausedAsync(long channelId, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE channels SET paused_reason = @reason WHERE id = @channelId", new { channelId, reason });
    }

    public async Task<ChannelRecord?> FindChannelAsync(string platform, string address, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<ChannelRow>("SELECT * FROM channels WHERE platform = @platform AND address = @address", new { platform, address }))?.ToRecord();
    }

    public async Task RebindChannelAsync(long channelId, string newAddress, string? newCommunityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var old = await connection.QuerySingleOrDefaultAsync<string?>("SELECT community_id FROM channels WHERE id = @channelId", new { channelId }, transaction);
        await connection.ExecuteAsync(
            "UPDATE channels SET address = @newAddress, community_id = coalesce(@newCommunityId, community_id) WHERE id = @channelId",
            new { channelId, newAddress, newCommunityId },
            transaction);
        if (old is not null && newCommunityId is not null && old != newCommunityId)
        {
            await connection.ExecuteAsync(
                """
                UPDATE OR IGNORE community_feeds SET community_id = @newCommunityId WHERE community_id = @old;
                UPDATE OR IGNORE community_topics SET community_id = @newCommunityId WHERE community_id = @old;
                UPDATE OR IGNORE subscriptions SET community_id = @newCommunityId WHERE community_id = @old;
                UPDATE OR IGNORE feedback SET community_id = @newCommunityId WHERE community_id = @old;
                UPDATE channels SET community_id = @newCommunityId WHERE community_id = @old;
                """,
                new { old, newCommunityId },
                transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // ---- Communities

    public async Task<CommunityFeedLink> AddCommunityFeedAsync(string communityId, string url, string name, TimeSpan interval, string? addedBy, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Ms(TimeProvider.System.GetUtcNow());
        var existing = await connection.QuerySingleOrDefaultAsync<FeedRow>("SELECT * FROM feeds WHERE url = @url", new { url }, transaction);
        CommunityFeedState state;
        FeedRow row;
        if (existing is null)
        {
            row = await connection.QuerySingleAsync<FeedRow>(
                "INSERT INTO feeds(url, name, interval_seconds, added_at, community_only) VALUES (@url, @name, @interval, @now, 1) RETURNING *",
                new { url, name, interval = (long)interval.TotalSeconds, now },
                transaction);
            state = CommunityFeedState.Added;
        }
        else
        {
            row = existing;
            var communityOnly = await connection.QuerySingleAsync<long>("SELECT community_only FROM feeds WHERE id = @id", new { existing.id }, transaction);
            state = communityOnly == 0 ? CommunityFeedState.Configured : CommunityFeedState.Linked;
        }

        if (state != CommunityFeedState.Configured)
        {
            var inserted = await connection.ExecuteAsync(
                "INSERT INTO community_feeds(community_id, feed_id, added_by, added_at) VALUES (@communityId, @id, @addedBy, @now) ON CONFLICT DO NOTHING",
                new { communityId, row.id, addedBy, now },
                transaction);
            if (inserted == 0)
            {
                state = CommunityFeedState.AlreadyFollowed;
            }
            else
            {
                // Followed again after every community had left it: it resumes.
                await connection.ExecuteAsync(
                    "UPDATE feeds SET paused_reason = NULL WHERE id = @id AND paused_reason = @reason",
                    new { row.id, reason = IDigestStore.OrphanedFeedReason },
                    transaction);
                row = await connection.QuerySingleAsync<FeedRow>("SELECT * FROM feeds WHERE id = @id", new { row.id }, transaction);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new CommunityFeedLink(row.ToRecord(), state);
    }

    public async Task<IReadOnlyList<CommunityFeed>> GetCommunityFeedsAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedRow>(
            "SELECT f.* FROM feeds f WHERE f.community_only = 0 OR EXISTS (SELECT 1 FROM community_feeds c WHERE c.feed_id = f.id AND c.community_id = @communityId) ORDER BY f.id",
            new { communityId });
        var configured = (await connection.QueryAsync<long>("SELECT id FROM feeds WHERE community_only = 0")).ToHashSet();
        return rows.Select(r => new CommunityFeed(r.ToRecord(), configured.Contains(r.id))).ToList();
    }

    public async Task<FeedUnlinkResult> RemoveCommunityFeedAsync(string communityId, long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var communityOnly = await connection.QuerySingleOrDefaultAsync<long?>("SELECT community_only FROM feeds WHERE id = @feedId", new { feedId }, transaction);
        if (communityOnly is null)
        {
            return FeedUnlinkResult.NotFollowed;
        }

        if (communityOnly == 0)
        {
            return FeedUnlinkResult.Configured;
        }

        if (await connection.ExecuteAsync("DELETE FROM community_feeds WHERE community_id = @communityId AND feed_id = @feedId", new { communityId, feedId }, transaction) == 0)
        {
            return FeedUnlinkResult.NotFollowed;
        }

        var result = FeedUnlinkResult.Unlinked;
        if (await connection.QuerySingleAsync<long>("SELECT count(*) FROM community_feeds WHERE feed_id = @feedId", new { feedId }, transaction) == 0)
        {
            await connection.ExecuteAsync("UPDATE feeds SET paused_reason = @reason WHERE id = @feedId", new { feedId, reason = IDigestStore.OrphanedFeedReason }, transaction);
            result = FeedUnlinkResult.Orphaned;
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private sealed class TopicRow
    {
        public string include_phrases { get; init; } = "[]";
        public string exclude_phrases { get; init; } = "[]";
        public double? threshold { get; init; }
    }

    public async Task<IReadOnlyList<string>> GetIncludePhrasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var lists = await connection.QueryAsync<string>("SELECT include_phrases FROM community_topics");
        return lists.SelectMany(Strings).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<TopicSettings> GetTopicSettingsAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TopicRow>("SELECT include_phrases, exclude_phrases, threshold FROM community_topics WHERE community_id = @communityId", new { communityId });
        return row is null ? TopicSettings.Default : new TopicSettings(Strings(row.include_phrases), Strings(row.exclude_phrases), row.threshold);
    }

    public async Task SetTopicSettingsAsync(string communityId, TopicSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO community_topics(community_id, include_phrases, exclude_phrases, threshold) VALUES (@communityId, @include, @exclude, @Threshold)
            ON CONFLICT(community_id) DO UPDATE SET include_phrases = excluded.include_phrases, exclude_phrases = excluded.exclude_phrases, threshold = excluded.threshold
            """,
            new { communityId, include = JsonSerializer.Serialize(settings.Include, Json), exclude = JsonSerializer.Serialize(settings.Exclude, Json), settings.Threshold });
    }

    // ---- Subscriptions, alerts, feedback

    private sealed class SubscriptionRow
    {
        public long id { get; init; }
        public string platform { get; init; } = "";
        public string user_id { get; init; } = "";
        public string community_id { get; init; } = "";
        public long channel_id { get; init; }
        public long digest { get; init; }
    }

    private sealed class AlertRow
    {
        public long subscription_id { get; init; }
        public string phrase { get; init; } = "";
    }

    private const string SubscriptionColumns = "id, platform, user_id, community_id, channel_id, digest";

    public async Task<SubscriptionRecord> EnsureSubscriptionAsync(string platform, string userId, string communityId, long channelId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<SubscriptionRow>(
            $"""
            INSERT INTO subscriptions(platform, user_id, community_id, channel_id, created_at) VALUES (@platform, @userId, @communityId, @channelId, @at)
            ON CONFLICT(platform, user_id, community_id) DO UPDATE SET channel_id = excluded.channel_id
            RETURNING {SubscriptionColumns}
            """,
            new { platform, userId, communityId, channelId, at = Ms(at) });
        return (await WithAlertsAsync(connection, [row]))[0];
    }

    public async Task<SubscriptionRecord?> GetSubscriptionAsync(string platform, string userId, string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE platform = @platform AND user_id = @userId AND community_id = @communityId",
            new { platform, userId, communityId })).ToList();
        return (await WithAlertsAsync(connection, rows)).FirstOrDefault();
    }

    public async Task SetSubscriptionDigestAsync(long subscriptionId, bool digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE subscriptions SET digest = @digest WHERE id = @subscriptionId", new { subscriptionId, digest });
    }

    public async Task<bool> AddAlertAsync(long subscriptionId, string phrase, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "INSERT INTO alerts(subscription_id, phrase, created_at) VALUES (@subscriptionId, @phrase, @at) ON CONFLICT DO NOTHING",
            new { subscriptionId, phrase, at = Ms(at) }) > 0;
    }

    public async Task<bool> RemoveAlertAsync(long subscriptionId, string phrase, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM alerts WHERE subscription_id = @subscriptionId AND phrase = @phrase", new { subscriptionId, phrase }) > 0;
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> GetAlertSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM subscriptions s WHERE EXISTS (SELECT 1 FROM alerts a WHERE a.subscription_id = s.id) ORDER BY id")).ToList();
        return await WithAlertsAsync(connection, rows);
    }

    private static async Task<List<SubscriptionRecord>> WithAlertsAsync(SqliteConnection connection, List<SubscriptionRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var phrases = (await connection.QueryAsync<AlertRow>(
                $"SELECT subscription_id, phrase FROM alerts WHERE subscription_id IN ({string.Join(',', rows.Select(r => r.id))}) ORDER BY created_at, phrase"))
            .ToLookup(a => a.subscription_id, a => a.phrase);
        return rows.Select(r => new SubscriptionRecord(r.id, r.platform, r.user_id, r.community_id, r.channel_id, r.digest != 0, phrases[r.id].ToList())).ToList();
    }

    public async Task RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO feedback(story_id, community_id, user_id, verdict, created_at) VALUES (@StoryId, @CommunityId, @UserId, @Verdict, @at)
            ON CONFLICT(story_id, community_id, user_id) DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at
            """,
            new { feedback.StoryId, feedback.CommunityId, feedback.UserId, feedback.Verdict, at = Ms(feedback.At) });
    }

    private sealed class FeedbackRow
    {
        public long story_id { get; init; }
        public string verdict { get; init; } = "";
        public string community_id { get; init; } = "";
        public string user_id { get; init; } = "";
        public long created_at { get; init; }
    }

    public async Task<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedbackRow>("SELECT story_id, verdict, community_id, user_id, created_at FROM feedback ORDER BY id");
        return rows.Select(r => new FeedbackRecord(r.story_id, r.verdict, r.community_id, r.user_id, At(r.created_at))).ToList();
    }

    // ---- Adapter state

    public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT value FROM bot_state WHERE key = @key", new { key });
    }

    public async Task SetStateAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO bot_state(key, value) VALUES (@key, @value) ON CONFLICT(key) DO UPDATE SET value = excluded.value", new { key, value });
    }

    public async Task<bool> EnqueueAsync(long channelId, string kind, string dedupKey, string payload, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await InsertOutboxAsync(connection, null, channelId, kind, dedupKey, payload, createdAt);
    }

    public async Task<bool> EnqueueDigestAsync(long channelId, string dedupKey, string payload, DateTimeOffset createdAt, IReadOnlyList<(long StoryId, DateTimeOffset LastSeen)> stories, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var story in stories)
        {
            var sent = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM digest_entries WHERE channel_id = @channelId AND story_id = @StoryId AND last_seen_sent >= @sent",
                new { channelId, story.StoryId, sent = Ms(story.LastSeen) },
                transaction);
            if (sent > 0)
            {
                return false;
            }
        }

        if (!await InsertOutboxAsync(connection, transaction, channelId, "digest", dedupKey, payload, createdAt))
        {
            return false;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO digest_entries(channel_id, story_id, last_seen_sent) VALUES (@channelId, @StoryId, @sent)
            ON CONFLICT(channel_id, story_id) DO UPDATE SET last_seen_sent = max(last_seen_sent, excluded.last_seen_sent)
            """,
            stories.Select(s => new { channelId, s.StoryId, sent = Ms(s.LastSeen) }),
            transaction);
        await connection.ExecuteAsync("UPDATE channels SET last_digest_at = @at WHERE id = @channelId", new { channelId, at = Ms(createdAt) }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> InsertOutboxAsync(SqliteConnection connection, SqliteTransaction? transaction, long channelId, string kind, string dedupKey, string payload, DateTimeOffset createdAt) =>
        await connection.ExecuteAsync(
            "INSERT INTO outbox(channel_id, kind, dedup_key, payload, created_at) VALUES (@channelId, @kind, @dedupKey, @payload, @at) ON CONFLICT(dedup_key) DO NOTHING",
            new { channelId, kind, dedupKey, payload, at = Ms(createdAt) },
            transaction) > 0;

    private sealed class OutboxRow
    {
        public long id { get; init; }
        public long channel_id { get; init; }
        public string kind { get; init; } = "";
        public string dedup_key { get; init; } = "";
        public string payload { get; init; } = "";
        public long created_at { get; init; }
        public long attempts { get; init; }
        public string? last_error { get; init; }
    }

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(long? channelId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(
            "SELECT id, channel_id, kind, dedup_key, payload, created_at, attempts, last_error FROM outbox WHERE sent_at IS NULL AND (@channelId IS NULL OR channel_id = @channelId) ORDER BY id LIMIT @limit",
            new { channelId, limit });
        return rows.Select(r => new OutboxMessage(r.id, r.channel_id, r.kind, r.dedup_key, r.payload, At(r.created_at), (int)r.attempts, r.last_error)).ToList();
    }

    public async Task MarkSentAsync(long messageId, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE outbox SET sent_at = @at, attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE id = @messageId",
            new { messageId, at = Ms(sentAt) });
    }

    public async Task MarkFailedAsync(long messageId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @error, claimed_by = NULL, claimed_until = NULL WHERE id = @messageId",
            new { messageId, error });
    }

    // ---- Scale-out: claims, leases. One process writes a SQLite file, so a single UPDATE … RETURNING is the claim.

    public async Task<OutboxMessage?> ClaimNextAsync(long channelId, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(
            """
            UPDATE outbox SET claimed_by = @claimer, claimed_until = @until
            WHERE id = (SELECT id FROM outbox WHERE channel_id = @channelId AND sent_at IS NULL ORDER BY id LIMIT 1)
              AND (claimed_until IS NULL OR claimed_until <= @now OR claimed_by = @claimer)
            RETURNING id, channel_id, kind, dedup_key, payload, created_at, attempts, last_error
            """,
            new { channelId, claimer, now = Ms(now), until = Ms(now + ttl) });
        return row is null ? null : new OutboxMessage(row.id, row.channel_id, row.kind, row.dedup_key, row.payload, At(row.created_at), (int)row.attempts, row.last_error);
    }

    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO leases(name, holder, expires_at) VALUES (@name, @holder, @until)
            ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            """,
            new { name, holder, now = Ms(now), until = Ms(now + ttl) }) > 0;
    }

    public async Task<bool> RenewLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE leases SET expires_at = @until WHERE name = @name AND holder = @holder",
            new { name, holder, until = Ms(now + ttl) }) > 0;
    }

    public async Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder });
    }

    private static IReadOnlyList<string> Strings(string? json) => string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json, Json) ?? [];
}
