using System.Text;
using System.Text.Json;
using Dapper;
using Digest.Core.Classification;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Core.Summarization;
using Digest.Storage.Migrations;
using Npgsql;

namespace Digest.Storage.Postgres;

/// <summary>
/// The scale-out store: PostgreSQL shared by every worker, a tsvector for search. Times are Unix milliseconds, as in
/// <see cref="Sqlite.SqliteStore"/>. Where workers race (outbox claims, digests, leases) the row locks decide.
/// </summary>
public sealed class PostgresStore : IDigestStore, IAsyncDisposable, IDisposable
{
    /// <summary>Held while migrating, so workers starting together apply each migration once.</summary>
    private const long MigrationLock = 0x_D16E_5700_0001;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly NpgsqlDataSource dataSource;

    public PostgresStore(string connectionString) => dataSource = NpgsqlDataSource.Create(connectionString);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    private static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static long? Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLock }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)");
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var (version, name, sql) in MigrationScripts.For("Postgres"))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = Ms(TimeProvider.System.GetUtcNow()) },
                    transaction);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLock });
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
        public int consecutive_failures { get; init; }
        public long? next_poll_at { get; init; }
        public string? paused_reason { get; init; }
        public bool backlog_stored { get; init; }
        public long added_at { get; init; }
        public bool community_only { get; init; }

        public FeedRecord ToRecord() => new(id, url, name, TimeSpan.FromSeconds(interval_seconds), etag, last_modified, At(last_polled_at), At(last_success_at),
            last_error, consecutive_failures, At(next_poll_at), paused_reason, backlog_stored);
    }

    public async Task<FeedRecord> UpsertFeedAsync(string url, string? name, string fallbackName, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<FeedRow>(
            """
            INSERT INTO feeds(url, name, interval_seconds, added_at) VALUES (@url, coalesce(@name, @fallbackName), @interval, @now)
            ON CONFLICT(url) DO UPDATE SET name = coalesce(@name, feeds.name), interval_seconds = excluded.interval_seconds
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
                backlog_stored = backlog_stored OR @Success
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
        public bool is_backlog { get; init; }
        public bool? relevant { get; init; }
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
            is_backlog,
            relevant is { } isRelevant ? new Relevance(isRelevant, score ?? 0, Strings(tags), Strings(reasons)) : null,
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
        var match = TsQuery(query);
        if (match.Length == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HitRow>(
            $"""
            SELECT i.id, i.story_id, i.title, i.url, f.name AS feed_name, i.published_at,
                   ts_headline('simple', i.summary, q, 'StartSel=«, StopSel=», MaxWords=16, MinWords=6, ShortWord=2, MaxFragments=1, FragmentDelimiter=…') AS snippet
            FROM items i JOIN feeds f ON f.id = i.feed_id, to_tsquery('simple', @match) q
            WHERE i.search @@ q{(feedIds is null ? "" : $" AND i.feed_id IN ({string.Join(',', feedIds.DefaultIfEmpty(-1))})")}
            ORDER BY ts_rank(i.search, q) DESC, i.published_at DESC, i.id DESC
            LIMIT @limit OFFSET @offset
            """,
            new { match, limit, offset });
        return rows.Select(r => new SearchHit(r.id, r.story_id, r.title, r.url, r.feed_name, At(r.published_at), r.snippet)).ToList();
    }

    /// <summary>User words as tsquery lexemes: each quoted (no operators reach the parser), all required, the last one a prefix.</summary>
    internal static string TsQuery(string query)
    {
        var words = query.Split((char[])[' ', '\t', '\n', '"', '\'', '(', ')', '*', ':', '^', '-', '+', ',', '.', ';', '!', '?', '{', '}', '[', ']', '&', '|', '<', '>', '\\'], StringSplitOptions.RemoveEmptyEntries);
        var builder = new StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            builder.Append(i == 0 ? "" : " & ").Append('\'').Append(words[i].ToLowerInvariant()).Append('\'').Append(i == words.Length - 1 ? ":*" : "");
        }

        return builder.ToString();
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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE items SET story_id = @storyId, duplicate_of = @duplicateOfItemId WHERE id = @itemId", new { itemId, storyId, duplicateOfItemId }, transaction);
        await connection.ExecuteAsync("UPDATE stories SET last_seen = greatest(last_seen, @at) WHERE id = @storyId", new { storyId, at = Ms(at) }, transaction);
        await transaction.CommitAsync(cancellationToken);
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
        public long? published { get; init; }
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

        if (query.FeedIds is not null)
        {
            where.Add("EXISTS (SELECT 1 FROM items x WHERE x.story_id = q.id AND x.feed_id = ANY(@feedIds))");
        }

        if (query.NotSentToChannel is not null)
        {
            where.Add("NOT EXISTS (SELECT 1 FROM digest_entries d WHERE d.channel_id = @channelId AND d.story_id = q.id AND d.last_seen_sent >= q.last_seen)");
        }

        var sql = $"SELECT * FROM ({StorySelect}) q {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY published DESC NULLS LAST, id DESC LIMIT @limit";
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoryRow>(sql, new
        {
            seenAfter = Ms(query.SeenAfter),
            publishedAfter = Ms(query.PublishedAfter),
            limit = query.Limit,
            channelId = query.NotSentToChannel,
            feedIds = query.FeedIds?.ToArray() ?? [],
        });
        return await WithSourcesAsync(connection, rows.ToList());
    }

    private sealed class SourceRow
    {
        public long story_id { get; init; }
        public string name { get; init; } = "";
        public string url { get; init; } = "";
        public long feed_id { get; init; }
    }

    private static async Task<IReadOnlyList<StoryRecord>> WithSourcesAsync(NpgsqlConnection connection, List<StoryRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var sources = (await connection.QueryAsync<SourceRow>(
                "SELECT i.story_id, f.name, i.url, i.feed_id FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id = ANY(@ids) ORDER BY i.published_at, i.id",
                new { ids = rows.Select(r => r.id).ToArray() }))
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
            At(r.published ?? r.first_seen),
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
            ON CONFLICT(platform, address) DO UPDATE SET community_id = coalesce(excluded.community_id, channels.community_id)
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
        var old = await connection.QuerySingleOrDefaultAsync<string?>("SELECT community_id FROM channels WHERE id = @channelId FOR UPDATE", new { channelId }, transaction);
        await connection.ExecuteAsync(
            "UPDATE channels SET address = @newAddress, community_id = coalesce(@newCommunityId, community_id) WHERE id = @channelId",
            new { channelId, newAddress, newCommunityId },
            transaction);
        if (old is not null && newCommunityId is not null && old != newCommunityId)
        {
            // What the new community already has stays, the old community's copy is left behind (SQLite: UPDATE OR IGNORE).
            await connection.ExecuteAsync(
                """
                UPDATE community_feeds c SET community_id = @newCommunityId WHERE c.community_id = @old
                    AND NOT EXISTS (SELECT 1 FROM community_feeds n WHERE n.community_id = @newCommunityId AND n.feed_id = c.feed_id);
                UPDATE community_topics SET community_id = @newCommunityId WHERE community_id = @old
                    AND NOT EXISTS (SELECT 1 FROM community_topics n WHERE n.community_id = @newCommunityId);
                UPDATE subscriptions s SET community_id = @newCommunityId WHERE s.community_id = @old
                    AND NOT EXISTS (SELECT 1 FROM subscriptions n WHERE n.community_id = @newCommunityId AND n.platform = s.platform AND n.user_id = s.user_id);
                UPDATE feedback f SET community_id = @newCommunityId WHERE f.community_id = @old
                    AND NOT EXISTS (SELECT 1 FROM feedback n WHERE n.community_id = @newCommunityId AND n.story_id = f.story_id AND n.user_id = f.user_id);
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

        // Inserted or, when the URL is known, locked: two communities adding one feed at once both link to the one row.
        var inserted = await connection.QuerySingleOrDefaultAsync<FeedRow>(
            "INSERT INTO feeds(url, name, interval_seconds, added_at, community_only) VALUES (@url, @name, @interval, @now, true) ON CONFLICT(url) DO NOTHING RETURNING *",
            new { url, name, interval = (long)interval.TotalSeconds, now },
            transaction);
        var row = inserted ?? await connection.QuerySingleAsync<FeedRow>("SELECT * FROM feeds WHERE url = @url FOR UPDATE", new { url }, transaction);
        var state = inserted is not null ? CommunityFeedState.Added : row.community_only ? CommunityFeedState.Linked : CommunityFeedState.Configured;
        if (state != CommunityFeedState.Configured)
        {
            var linked = await connection.ExecuteAsync(
                "INSERT INTO community_feeds(community_id, feed_id, added_by, added_at) VALUES (@communityId, @id, @addedBy, @now) ON CONFLICT DO NOTHING",
                new { communityId, row.id, addedBy, now },
                transaction);
            if (linked == 0)
            {
                state = CommunityFeedState.AlreadyFollowed;
            }
            else
            {
                // Followed again after every community had left it: it resumes.
                row = await connection.QuerySingleAsync<FeedRow>(
                    "UPDATE feeds SET paused_reason = CASE WHEN paused_reason = @reason THEN NULL ELSE paused_reason END WHERE id = @id RETURNING *",
                    new { row.id, reason = IDigestStore.OrphanedFeedReason },
                    transaction);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new CommunityFeedLink(row.ToRecord(), state);
    }

    public async Task<IReadOnlyList<CommunityFeed>> GetCommunityFeedsAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedRow>(
            "SELECT f.* FROM feeds f WHERE NOT f.community_only OR EXISTS (SELECT 1 FROM community_feeds c WHERE c.feed_id = f.id AND c.community_id = @communityId) ORDER BY f.id",
            new { communityId });
        return rows.Select(r => new CommunityFeed(r.ToRecord(), !r.community_only)).ToList();
    }

    public async Task<FeedUnlinkResult> RemoveCommunityFeedAsync(string communityId, long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The feed's row lock orders two communities leaving it at once, so the last one out pauses it.
        var communityOnly = await connection.QuerySingleOrDefaultAsync<bool?>("SELECT community_only FROM feeds WHERE id = @feedId FOR UPDATE", new { feedId }, transaction);
        if (communityOnly is null)
        {
            return FeedUnlinkResult.NotFollowed;
        }

        if (communityOnly == false)
        {
            return FeedUnlinkResult.Configured;
        }

        if (await connection.ExecuteAsync("DELETE FROM community_feeds WHERE community_id = @communityId AND feed_id = @feedId", new { communityId, feedId }, transaction) == 0)
        {
            return FeedUnlinkResult.NotFollowed;
        }

        var result = FeedUnlinkResult.Unlinked;
        if (!await connection.QuerySingleAsync<bool>("SELECT EXISTS (SELECT 1 FROM community_feeds WHERE feed_id = @feedId)", new { feedId }, transaction))
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
        public bool digest { get; init; }
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
        return await connection.ExecuteAsync("DELETE FROM alerts WHERE subscription_id = @subscriptionId AND lower(phrase) = lower(@phrase)", new { subscriptionId, phrase }) > 0;
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> GetAlertSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM subscriptions s WHERE EXISTS (SELECT 1 FROM alerts a WHERE a.subscription_id = s.id) ORDER BY id")).ToList();
        return await WithAlertsAsync(connection, rows);
    }

    private static async Task<List<SubscriptionRecord>> WithAlertsAsync(NpgsqlConnection connection, List<SubscriptionRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var phrases = (await connection.QueryAsync<AlertRow>(
                "SELECT subscription_id, phrase FROM alerts WHERE subscription_id = ANY(@ids) ORDER BY created_at, lower(phrase)",
                new { ids = rows.Select(r => r.id).ToArray() }))
            .ToLookup(a => a.subscription_id, a => a.phrase);
        return rows.Select(r => new SubscriptionRecord(r.id, r.platform, r.user_id, r.community_id, r.channel_id, r.digest, phrases[r.id].ToList())).ToList();
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

    // ---- State a worker resumes from

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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The channel's row lock orders two workers recording digests for one channel; the second then sees the first's entries.
        await connection.ExecuteAsync("SELECT 1 FROM channels WHERE id = @channelId FOR UPDATE", new { channelId }, transaction);
        var alreadySent = await connection.ExecuteScalarAsync<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM digest_entries d JOIN unnest(@ids, @seen) AS s(story_id, last_seen) ON d.story_id = s.story_id
                           WHERE d.channel_id = @channelId AND d.last_seen_sent >= s.last_seen)
            """,
            new { channelId, ids = stories.Select(s => s.StoryId).ToArray(), seen = stories.Select(s => Ms(s.LastSeen)).ToArray() },
            transaction);
        if (alreadySent || !await InsertOutboxAsync(connection, transaction, channelId, "digest", dedupKey, payload, createdAt))
        {
            return false;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO digest_entries(channel_id, story_id, last_seen_sent) VALUES (@channelId, @StoryId, @sent)
            ON CONFLICT(channel_id, story_id) DO UPDATE SET last_seen_sent = greatest(digest_entries.last_seen_sent, excluded.last_seen_sent)
            """,
            stories.Select(s => new { channelId, s.StoryId, sent = Ms(s.LastSeen) }),
            transaction);
        await connection.ExecuteAsync("UPDATE channels SET last_digest_at = @at WHERE id = @channelId", new { channelId, at = Ms(createdAt) }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> InsertOutboxAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long channelId, string kind, string dedupKey, string payload, DateTimeOffset createdAt) =>
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
        public int attempts { get; init; }
        public string? last_error { get; init; }

        public OutboxMessage ToMessage() => new(id, channel_id, kind, dedup_key, payload, At(created_at), attempts, last_error);
    }

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(long? channelId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(
            "SELECT id, channel_id, kind, dedup_key, payload, created_at, attempts, last_error FROM outbox WHERE sent_at IS NULL AND (@channelId::bigint IS NULL OR channel_id = @channelId) ORDER BY id LIMIT @limit",
            new { channelId, limit });
        return rows.Select(r => r.ToMessage()).ToList();
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

    // ---- Scale-out: claims, leases

    public async Task<OutboxMessage?> ClaimNextAsync(long channelId, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only the channel's oldest unsent message can be claimed, so its messages keep their order. A head another worker
        // is claiming right now is skipped (SKIP LOCKED), and the next message is not the head, so nothing is claimed.
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(
            """
            UPDATE outbox o SET claimed_by = @claimer, claimed_until = @until
            FROM (SELECT h.id FROM outbox h
                  WHERE h.channel_id = @channelId AND h.sent_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_id = h.channel_id AND p.sent_at IS NULL AND p.id < h.id)
                  ORDER BY h.id LIMIT 1
                  FOR UPDATE SKIP LOCKED) head
            WHERE o.id = head.id AND (o.claimed_until IS NULL OR o.claimed_until <= @now OR o.claimed_by = @claimer)
            RETURNING o.id, o.channel_id, o.kind, o.dedup_key, o.payload, o.created_at, o.attempts, o.last_error
            """,
            new { channelId, claimer, now = Ms(now), until = Ms(now + ttl) });
        return row?.ToMessage();
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
