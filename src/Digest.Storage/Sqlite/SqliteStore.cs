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
internal sealed class SqliteStore : DapperStore, IDigestStore
{
    /// <summary>The page cache of a search connection, in KiB (SQLite's default is 2 MB): a search reads a few hundred rows and their index pages.</summary>
    private const int SearchCacheKib = 16 * 1024;

    /// <summary>How long a write waits inside SQLite for another connection's write to end before SQLITE_BUSY.</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private readonly string connectionString;
    private readonly SemaphoreSlim writer = new(1, 1); // lives as long as the store; never disposed

    /// <summary>The same, allowed to create the file: for the migration only.</summary>
    private readonly string creatingConnectionString;

    /// <summary>Read-only connections for /search: a pool of their own (the connection string differs), each with a larger page cache.</summary>
    private readonly string searchConnectionString;

    /// <summary>
    /// A connection string SQLite cannot read, or a folder for the file that cannot be created, is a
    /// <see cref="StorageException"/> naming <c>Storage:ConnectionString</c>.
    /// </summary>
    public SqliteStore(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true, DefaultTimeout = 30 };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw StorageFaults.Malformed("SQLite", e);
        }

        if (builder.DataSource is { Length: > 0 } file && builder.Mode != SqliteOpenMode.Memory && file != ":memory:")
        {
            DatabaseFile = Path.GetFullPath(file);
            if (Directory.Exists(DatabaseFile))
            {
                throw StorageFaults.FolderNotFile(DatabaseFile);
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(DatabaseFile)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StorageFaults.FolderNotCreated(DatabaseFile, e);
            }
        }

        // Once migrated, the file must be there: a connection opened after it was deleted fails rather than starting
        // an empty database at the path (the watchdog stops the worker).
        creatingConnectionString = builder.ToString();
        if (DatabaseFile is not null && builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        this.connectionString = builder.ToString();
        searchConnectionString = DatabaseFile is null ? this.connectionString : new SqliteConnectionStringBuilder(this.connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
    }

    /// <summary>The database file's full path; null for an in-memory database.</summary>
    public string? DatabaseFile { get; }

    /// <summary>Which file the path named when the store was migrated: the one the bot works in (see the database watchdog).</summary>
    public FileIdentity? OpenedFile { get; private set; }

    private protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        return new Writing(writer);
    }

    private sealed class Writing(SemaphoreSlim writer) : IDisposable
    {
        public void Dispose() => writer.Release();
    }

    protected override async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool create = false)
    {
        var connection = new SqliteConnection(create ? creatingConnectionString : connectionString);
        await connection.OpenAsync(cancellationToken);

        // Per connection: in WAL mode a commit then survives a killed process without an fsync of its own. A write that
        // meets another connection's write waits inside SQLite (busy_timeout: sleeps of 1, 2, 5… ms) rather than getting
        // SQLITE_BUSY back, which Microsoft.Data.Sqlite retries after 150 ms each time: that sleep was the 150–200 ms tail
        // of /search and /help at a million items.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task<SqliteConnection> OpenSearchAsync(CancellationToken cancellationToken)
    {
        if (ReferenceEquals(searchConnectionString, connectionString))
        {
            return await OpenAsync(cancellationToken);
        }

        var connection = new SqliteConnection(searchConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA cache_size=-{SearchCacheKib}";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Applies the migrations, then checks that the file can be written, so a read-only file fails here, at start, and
    /// not at the first poll. A fault of the file (corrupt, read-only, a folder that is not writable) is a
    /// <see cref="StorageException"/> in one line.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken, create: true);
            await ApplyMigrationsAsync(connection, cancellationToken);
            OpenedFile = DatabaseFile is null ? null : FileIdentity.Of(DatabaseFile);

            // A write that is rolled back: SQLITE_READONLY on a file the bot may read but not write.
            await using var probe = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations(version, name, applied_at) VALUES (-1, 'write probe', 0)", transaction: probe, cancellationToken: cancellationToken));
            await probe.RollbackAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFile is not null && StorageFaults.DescribeSqlite(e, DatabaseFile) is { } fault)
        {
            throw new StorageException(fault, e);
        }
    }

    private static async Task ApplyMigrationsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)", cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<long>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();
        foreach (var (version, name, sql) in MigrationScripts.For("Sqlite"))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            // The transaction takes the write lock first (BEGIN IMMEDIATE), so a second process migrating at once skips what the first applied.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, transaction, cancellationToken: cancellationToken)) > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = Ms(TimeProvider.System.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
    }

    // ---- Feeds

    public async Task<FeedRecord> UpsertFeedAsync(string url, string? name, string fallbackName, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
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

    private protected override string RecordPollSql =>
        """
            UPDATE feeds SET etag = @ETag, last_modified = @LastModified, last_polled_at = @polled,
                last_success_at = CASE WHEN @Success THEN @polled ELSE last_success_at END,
                last_error = @Error, consecutive_failures = @ConsecutiveFailures, next_poll_at = @next, paused_reason = @PausedReason,
                backlog_stored = CASE WHEN @Success THEN 1 ELSE backlog_stored END
            WHERE id = @feedId
        """;

    private protected override string ClaimRefreshSql =>
        """
            UPDATE stories SET claimed_by = @claimer, claimed_until = @until
            WHERE id = (SELECT id FROM stories WHERE version > refreshed_version AND merged_into IS NULL AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY id LIMIT 1)
            RETURNING id, version, refreshed_version, first_seen
        """;

    // ---- Items

    /// <summary>One statement compiled once for the whole batch, bound per item (Dapper would compile it per item).</summary>
    private protected override async Task<List<(long Id, Item Item)>> InsertItemsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long feedId, IReadOnlyList<Item> items, bool isBacklog, DateTimeOffset firstSeen, CancellationToken cancellationToken)
    {
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText =
            """
            INSERT INTO items(feed_id, item_key, title, url, summary, author, published_at, first_seen, is_backlog)
            VALUES (@feedId, @key, @title, @url, @summary, @author, @published, @seen, @isBacklog)
            ON CONFLICT(feed_id, item_key) DO NOTHING
            RETURNING id
            """;
        command.Parameters.AddWithValue("@feedId", feedId);
        command.Parameters.AddWithValue("@seen", Ms(firstSeen));
        command.Parameters.AddWithValue("@isBacklog", isBacklog);
        var key = command.Parameters.Add("@key", SqliteType.Text);
        var title = command.Parameters.Add("@title", SqliteType.Text);
        var url = command.Parameters.Add("@url", SqliteType.Text);
        var summary = command.Parameters.Add("@summary", SqliteType.Text);
        var author = command.Parameters.Add("@author", SqliteType.Text);
        var published = command.Parameters.Add("@published", SqliteType.Integer);
        var added = new List<(long, Item)>();
        foreach (var item in items)
        {
            key.Value = item.Key;
            title.Value = item.Title;
            url.Value = item.Url;
            summary.Value = item.Summary;
            author.Value = (object?)item.Author ?? DBNull.Value;
            published.Value = Ms(item.Published);
            if (await command.ExecuteScalarAsync(cancellationToken) is long id)
            {
                added.Add((id, item));
            }
        }

        return added;
    }

    /// <summary>
    /// Two steps, so the cost stays flat as the index grows: the newest <see cref="DapperStore.SearchCandidates"/> matching
    /// articles (FTS5 walks its doclists newest first and stops there) are ordered — those whose headline matches first,
    /// then by publication — and paged; then snippets are cut for the page's rows only. On a connection of the search
    /// pool, whose larger page cache keeps the newest items' pages at hand.
    /// </summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, IReadOnlyCollection<long>? feedIds, int offset, int limit, CancellationToken cancellationToken)
    {
        var alternatives = SearchSyntax.Parse(query);
        if (alternatives.Count == 0 || offset >= SearchCandidates)
        {
            return [];
        }

        await using var connection = await OpenSearchAsync(cancellationToken);
        var match = FtsQuery(alternatives, await ExpandPrefixesAsync(connection, alternatives, cancellationToken));

        // CROSS JOIN keeps the FTS table outside (its rowid order consumes ORDER BY, so LIMIT stops the walk); "+" keeps
        // SQLite from reading the community's feeds through the items' feed index instead. No bm25: its document
        // frequencies are a pass over every posting of every word, the cost that grew with the archive.
        var rows = (await connection.QueryAsync<HitRow>(Command(
            $"""
            WITH hits AS (
                SELECT i.id, i.story_id, i.title, i.url, i.feed_id, i.published_at
                FROM items_fts CROSS JOIN items i ON i.id = items_fts.rowid
                WHERE items_fts MATCH @match{Scope("+i", feedIds)}
                  AND NOT EXISTS (SELECT 1 FROM items j WHERE (j.url = i.url AND j.id < i.id OR j.id = i.duplicate_of){Scope("j", feedIds)})
                ORDER BY items_fts.rowid DESC
                LIMIT @candidates),
            headlined AS (
                SELECT rowid AS id FROM items_fts WHERE items_fts MATCH @headline AND rowid >= (SELECT min(id) FROM hits))
            SELECT h.id, h.story_id, h.title, h.url, f.name AS feed_name, h.published_at
            FROM hits h JOIN feeds f ON f.id = h.feed_id
            ORDER BY h.id IN headlined DESC, h.published_at DESC, h.id DESC
            LIMIT @limit OFFSET @offset
            """,
            new { match, headline = "{title} : (" + match + ")", limit, offset, candidates = SearchCandidates },
            null,
            cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var snippets = (await connection.QueryAsync<(long Id, string Snippet)>(Command(
            $"SELECT rowid, snippet(items_fts, 1, '«', '»', '…', 16) FROM items_fts WHERE items_fts MATCH @match AND rowid IN ({string.Join(',', rows.Select(r => r.id))})",
            new { match },
            null,
            cancellationToken))).ToDictionary(s => s.Id, s => s.Snippet);
        return rows.Select(r => new SearchHit(r.id, r.story_id, r.title, r.url, r.feed_name, At(r.published_at), snippets.GetValueOrDefault(r.id, ""))).ToList();
    }

    private static string Scope(string alias, IReadOnlyCollection<long>? feedIds) =>
        feedIds is null ? "" : $" AND {alias}.feed_id IN ({string.Join(',', feedIds.DefaultIfEmpty(-1))})";

    /// <summary>
    /// A member's query (<see cref="SearchSyntax"/>) as FTS5: every word quoted, phrases as FTS5 phrases, OR between
    /// alternatives. A prefix found in <paramref name="expansions"/> becomes the OR of the words it begins (FTS5 reads
    /// those newest first and stops at the candidates; its own prefix query would gather every posting of every such word).
    /// </summary>
    internal static string FtsQuery(IReadOnlyList<IReadOnlyList<SearchSyntax.Term>> alternatives, IReadOnlyDictionary<string, IReadOnlyList<string>> expansions) =>
        string.Join(" OR ", alternatives.Select(alternative => "(" + string.Join(" AND ", alternative.Select(t =>
            t.Prefix && t.Words.Count == 1 && expansions.TryGetValue(t.Words[0], out var words)
                ? "(" + string.Join(" OR ", words.Select(w => $"\"{w}\"")) + ")"
                : $"\"{string.Join(' ', t.Words)}\"" + (t.Prefix ? "*" : ""))) + ")"));

    /// <summary>
    /// The indexed words each single-word prefix begins, from FTS5's vocabulary (a temp fts5vocab table on this
    /// connection): only prefixes of plain letters and digits, folded as the tokenizer folds them (lower case, no
    /// diacritics), that begin between 1 and <see cref="MaxPrefixWords"/> words.
    /// </summary>
    private static async Task<Dictionary<string, IReadOnlyList<string>>> ExpandPrefixesAsync(SqliteConnection connection, IReadOnlyList<IReadOnlyList<SearchSyntax.Term>> alternatives, CancellationToken cancellationToken)
    {
        var expansions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var word in alternatives.SelectMany(a => a).Where(t => t.Prefix && t.Words.Count == 1).Select(t => t.Words[0]).Distinct())
        {
            if (!word.All(char.IsLetterOrDigit) || word.Length == 0)
            {
                continue;
            }

            var folded = Fold(word);
            await connection.ExecuteAsync(Command("CREATE VIRTUAL TABLE IF NOT EXISTS temp.items_terms USING fts5vocab(main, items_fts, row)", null, null, cancellationToken));
            var terms = (await connection.QueryAsync<string>(Command(
                "SELECT term FROM temp.items_terms WHERE term >= @folded AND term < @end ORDER BY term LIMIT @limit",
                new { folded, end = folded + "\U0010FFFF", limit = MaxPrefixWords + 1 },
                null,
                cancellationToken))).ToList();
            if (terms.Count is > 0 and <= MaxPrefixWords && terms.All(t => t.All(char.IsLetterOrDigit)))
            {
                expansions[word] = terms;
            }
        }

        return expansions;
    }

    /// <summary>A word as the unicode61 tokenizer (remove_diacritics 2) indexes it: lower case, without diacritics.</summary>
    private static string Fold(string word)
    {
        var decomposed = word.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD);
        return new string([.. decomposed.Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)]).Normalize(System.Text.NormalizationForm.FormC);
    }

    // ---- Stories

    public async Task<IReadOnlyList<StoryRecord>> GetStoriesAsync(StoryQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string> { ShownStory };
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
            where.Add("NOT EXISTS (SELECT 1 FROM digest_entries d WHERE d.channel_id = @channelId AND d.story_id = q.id AND d.last_seen_sent >= coalesce(q.fresh_at, 0))");
        }

        if (query.FreshAfter is not null)
        {
            where.Add("fresh_at > @freshAfter");
        }

        if (query.FreshPublishedAfter is not null)
        {
            where.Add("fresh_published > @freshPublishedAfter");
        }

        var sql = $"SELECT * FROM ({StorySelect}) q {"WHERE " + string.Join(" AND ", where)} ORDER BY published DESC, id DESC LIMIT @limit";
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoryRow>(Command(sql, new { seenAfter = Ms(query.SeenAfter), publishedAfter = Ms(query.PublishedAfter), limit = query.Limit, channelId = query.NotSentToChannel, freshAfter = Ms(query.FreshAfter), freshPublishedAfter = Ms(query.FreshPublishedAfter) }, null, cancellationToken));
        return await WithSourcesAsync(connection, rows.ToList());
    }

    // ---- Channels and outbox

    public async Task<ChannelRecord> EnsureChannelAsync(string platform, string address, string? communityId, string schedule, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<ChannelRow>(
            """
            INSERT INTO channels(platform, address, community_id, schedule, time_zone, joined_at) VALUES (@platform, @address, @communityId, @schedule, @timeZone, @joinedAt)
            ON CONFLICT(platform, address) DO UPDATE SET community_id = coalesce(excluded.community_id, community_id)
            RETURNING *
            """,
            new { platform, address, communityId, schedule, timeZone, joinedAt = Ms(TimeProvider.System.GetUtcNow()) });
        return row.ToRecord();
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
                    new { row.id, reason = ICommunityStore.OrphanedFeedReason },
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
        var muted = (await connection.QueryAsync<long>("SELECT feed_id FROM community_mutes WHERE community_id = @communityId", new { communityId })).ToHashSet();
        return rows.Select(r => new CommunityFeed(r.ToRecord(), configured.Contains(r.id)) { Muted = muted.Contains(r.id) }).ToList();
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
            await connection.ExecuteAsync("UPDATE feeds SET paused_reason = @reason WHERE id = @feedId", new { feedId, reason = ICommunityStore.OrphanedFeedReason }, transaction);
            result = FeedUnlinkResult.Orphaned;
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    // ---- Subscriptions, alerts, feedback

    public async Task<bool> RemoveAlertAsync(long subscriptionId, string phrase, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM alerts WHERE subscription_id = @subscriptionId AND phrase = @phrase", new { subscriptionId, phrase }) > 0;
    }

    // ---- Adapter state

    public async Task<bool> EnqueueDigestAsync(long channelId, string dedupKey, string payload, DateTimeOffset createdAt, IReadOnlyList<DigestEntry> stories, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var story in stories)
        {
            var sent = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM digest_entries WHERE channel_id = @channelId AND story_id = @StoryId AND last_seen_sent >= @sent",
                new { channelId, story.StoryId, sent = Ms(story.FreshAt) ?? 0 },
                transaction);
            if (sent > 0)
            {
                return false;
            }
        }

        if (!await InsertOutboxAsync(connection, transaction, channelId, "digest", dedupKey, payload, createdAt, cancellationToken))
        {
            return false;
        }

        await RecordDigestEntriesAsync(connection, transaction, channelId, stories, "max", cancellationToken);
        await connection.ExecuteAsync("UPDATE channels SET last_digest_at = @at WHERE id = @channelId", new { channelId, at = Ms(createdAt) }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    // ---- Scale-out: claims, leases. One process writes a SQLite file, so a single UPDATE … RETURNING is the claim.

    public async Task<OutboxMessage?> ClaimNextAsync(long channelId, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(new CommandDefinition(
            $"""
            UPDATE outbox SET claimed_by = @claimer, claimed_until = @until,
                attempts = attempts + CASE WHEN claimed_by IS NOT NULL AND claimed_by <> @claimer THEN 1 ELSE 0 END,
                last_error = CASE WHEN claimed_by IS NOT NULL AND claimed_by <> @claimer THEN @abandoned ELSE last_error END
            WHERE id = (SELECT id FROM outbox WHERE channel_id = @channelId AND sent_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT 1)
              AND (claimed_until IS NULL OR claimed_until <= @now OR claimed_by = @claimer)
              AND coalesce(next_attempt_at, 0) <= @now
            RETURNING {OutboxColumns}
            """,
            new { channelId, claimer, now = Ms(now), until = Ms(now + ttl), abandoned = AbandonedClaim },
            cancellationToken: cancellationToken));
        return row?.ToMessage();
    }
}
