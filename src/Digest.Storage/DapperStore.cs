using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Digest.Core.Classification;
using Digest.Core.Delivery;
using Digest.Core.Items;
using Digest.Core.Storage;

namespace Digest.Storage;

/// <summary>
/// What the SQLite and PostgreSQL stores share: the row shapes, and every query both dialects spell the same way. Times
/// are Unix milliseconds in both.
/// </summary>
internal abstract class DapperStore
{
    private protected const string ItemColumns = "i.id, i.feed_id, f.name AS feed_name, i.item_key, i.title, i.url, i.summary, i.author, i.published_at, i.first_seen, i.is_backlog, i.relevant, i.score, i.tags, i.reasons, i.story_id, i.joined_version";

    /// <summary>What digests and <c>/latest</c> show: stories refreshed at least once (title and key lines made) and not merged away.</summary>
    private protected const string ShownStory = "refreshed_version > 0 AND merged_into IS NULL";

    private protected const string StorySelect =
        """
        SELECT s.id, s.title, s.url, s.score, s.tags, s.key_lines, s.first_seen, s.last_seen, s.refreshed_version, s.merged_into, s.split_from, s.fresh_at, s.fresh_published,
               (SELECT max(published_at) FROM items WHERE story_id = s.id) AS published,
               (SELECT count(DISTINCT CASE WHEN url = '' THEN '#' || CAST(id AS TEXT) ELSE url END) FROM items WHERE story_id = s.id) AS item_count
        FROM stories s
        """;

    /// <summary>Each channel's oldest message still to send: the only one a worker may claim, so a channel's messages keep their order.</summary>
    private protected const string WaitingHeads = "SELECT channel_id, min(id) AS id FROM outbox WHERE sent_at IS NULL AND set_aside_at IS NULL GROUP BY channel_id";

    private protected const string SubscriptionColumns = "id, platform, user_id, community_id, channel_id, digest";

    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>One statement on a connection of its own (a write that needs nothing else).</summary>
    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    /// <summary>Records a poll's outcome (<c>@feedId</c> and the <see cref="FeedPollOutcome"/> fields); the dialects spell "backlog stored" differently.</summary>
    private protected abstract string RecordPollSql { get; }

    /// <summary>Claims the oldest story due for a refresh (<c>@claimer</c>, <c>@now</c>, <c>@until</c>), returning its <see cref="ClaimRow"/>.</summary>
    private protected abstract string ClaimRefreshSql { get; }

    /// <summary>
    /// Entered around a write transaction: SQLite has one writer at a time, and a writer that finds the file locked
    /// sleeps and retries, so its store lets in-process writers queue here instead. A no-op where the database itself
    /// orders writers (PostgreSQL).
    /// </summary>
    private protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>
    /// How many of the newest matching articles a search orders (and pages through, 5 a page in chat: 40 pages): ranking
    /// every match of a common word grows with the archive, ordering these stays flat. A query with fewer matches orders
    /// them all. 500 until 2026-11-28: at a million items a word with about a thousand matches then read a thousand rows
    /// on PostgreSQL (README, *Measured idle after the merge, and fewer candidates*).
    /// </summary>
    private protected const int SearchCandidates = 200;

    /// <summary>The most words a search's prefix is turned into; a prefix that begins more (one or two letters) stays a prefix query.</summary>
    private protected const int MaxPrefixWords = 64;

    private protected static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    protected static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    protected static long? Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    protected static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    protected static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    protected static IReadOnlyList<string> Strings(string? json) => string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json, Json) ?? [];

    private protected sealed class FeedRow
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

    private protected sealed class ItemRow
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
        public long? joined_version { get; init; }

        public StoredItem ToStored() => new(
            id,
            feed_id,
            feed_name,
            new Item(item_key, title, url, summary, author, At(published_at)),
            At(first_seen),
            is_backlog,
            relevant is { } isRelevant ? new Relevance(isRelevant, score ?? 0, Strings(tags), Strings(reasons)) : null,
            story_id)
        {
            JoinedVersion = (int)(joined_version ?? 0),
        };
    }

    private protected sealed class ClusteredRow
    {
        public long id { get; init; }
        public long story_id { get; init; }
        public long cluster_seq { get; init; }
        public string item_key { get; init; } = "";
        public string feed_name { get; init; } = "";
        public string title { get; init; } = "";
        public string summary { get; init; } = "";
        public long published_at { get; init; }
        public string url { get; init; } = "";
    }

    /// <summary>A small named value of <c>bot_state</c>, read and written (one statement for both dialects).</summary>
    private const string ReadStateSql = "SELECT value FROM bot_state WHERE key = @key";

    private const string WriteStateSql = "INSERT INTO bot_state(key, value) VALUES (@key, @value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";

    /// <summary>The <c>bot_state</c> key of the revision the stored key lines were last brought to.</summary>
    private const string KeyLinesRevisionKey = "key_lines_revision";

    private const string ReleaseRefreshSql = "UPDATE stories SET claimed_by = NULL, claimed_until = NULL WHERE id = @storyId AND claimed_by = @claimer";

    private protected sealed class BacklogRow
    {
        public long unprocessed { get; init; }
        public long due { get; init; }
    }

    private protected sealed class ClaimRow
    {
        public long id { get; init; }
        public long version { get; init; }
        public long refreshed_version { get; init; }
        public long first_seen { get; init; }
    }

    private protected sealed class HitRow
    {
        public long id { get; init; }
        public long? story_id { get; init; }
        public string title { get; init; } = "";
        public string url { get; init; } = "";
        public string feed_name { get; init; } = "";
        public long published_at { get; init; }
        public string snippet { get; init; } = "";
    }

    private protected sealed class StoryRow
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
        public long? fresh_at { get; init; }
        public long? split_from { get; init; }
    }

    private protected sealed class SourceRow
    {
        public long story_id { get; init; }
        public long id { get; init; }
        public string name { get; init; } = "";
        public string url { get; init; } = "";
        public long feed_id { get; init; }
    }

    private protected sealed class ChannelRow
    {
        public long id { get; init; }
        public string platform { get; init; } = "";
        public string address { get; init; } = "";
        public string? community_id { get; init; }
        public string schedule { get; init; } = "";
        public string time_zone { get; init; } = "";
        public long? last_digest_at { get; init; }
        public string? paused_reason { get; init; }
        public long? joined_at { get; init; }
        public bool say_nothing_new { get; init; }

        public ChannelRecord ToRecord() => new(id, platform, address, community_id, schedule, time_zone, At(last_digest_at), paused_reason)
        {
            JoinedAt = At(joined_at),
            SayNothingNew = say_nothing_new,
        };
    }

    private protected sealed class SentRow
    {
        public long story_id { get; init; }
        public string sources_sent { get; init; } = "[]";
        public string lines_sent { get; init; } = "[]";
    }

    private protected sealed class TopicRow
    {
        public string include_phrases { get; init; } = "[]";
        public string exclude_phrases { get; init; } = "[]";
        public double? threshold { get; init; }
    }

    private protected sealed class SubscriptionRow
    {
        public long id { get; init; }
        public string platform { get; init; } = "";
        public string user_id { get; init; } = "";
        public string community_id { get; init; } = "";
        public long channel_id { get; init; }
        public bool digest { get; init; }
    }

    private protected sealed class AlertRow
    {
        public long subscription_id { get; init; }
        public string phrase { get; init; } = "";
    }

    private protected sealed class FeedbackRow
    {
        public long story_id { get; init; }
        public string verdict { get; init; } = "";
        public string community_id { get; init; } = "";
        public string user_id { get; init; } = "";
        public long created_at { get; init; }
    }

    private protected sealed class OutboxRow
    {
        public long id { get; init; }
        public long channel_id { get; init; }
        public string kind { get; init; } = "";
        public string dedup_key { get; init; } = "";
        public string payload { get; init; } = "";
        public long created_at { get; init; }
        public int attempts { get; init; }
        public string? last_error { get; init; }
        public int parts_sent { get; init; }

        public OutboxMessage ToMessage() => new(id, channel_id, kind, dedup_key, payload, At(created_at), attempts, last_error, parts_sent);
    }

    /// <summary>The columns <see cref="OutboxRow"/> reads.</summary>
    private protected const string OutboxColumns = "id, channel_id, kind, dedup_key, payload, created_at, attempts, last_error, parts_sent";

    /// <summary>
    /// The error a message keeps when its claim expired and another claimer takes it over: the worker sending it died (a
    /// crash, kill -9) with no answer recorded, so the send may have reached the platform. Counted as an attempt.
    /// </summary>
    private protected const string AbandonedClaim = "the worker sending it stopped before recording an answer (it may have reached the platform)";

    private protected sealed class OutboxBacklogRow
    {
        public long channel_id { get; init; }
        public long waiting { get; init; }
        public long set_aside { get; init; }
        public long? next_attempt_at { get; init; }
        public string? last_error { get; init; }
    }

    private protected sealed class SetAsideRow
    {
        public long id { get; init; }
        public long channel_id { get; init; }
        public string kind { get; init; } = "";
        public long created_at { get; init; }
        public long set_aside_at { get; init; }
        public int attempts { get; init; }
        public string? last_error { get; init; }
    }

    private protected sealed class InboxRow
    {
        public long id { get; init; }
        public string source { get; init; } = "";
        public string external_id { get; init; } = "";
        public string queue { get; init; } = "";
        public string payload { get; init; } = "";
        public long received_at { get; init; }
        public int attempts { get; init; }

        public InboxMessage ToMessage() => new(id, source, external_id, queue, payload, At(received_at), attempts);
    }

    public async Task<IReadOnlyList<FeedRecord>> GetFeedsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<FeedRow>("SELECT * FROM feeds ORDER BY id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<FeedRecord?> GetFeedAsync(long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<FeedRow>("SELECT * FROM feeds WHERE id = @feedId", new { feedId }))?.ToRecord();
    }

    public async Task<bool> RemoveFeedAsync(long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM feeds WHERE id = @feedId", new { feedId }) > 0;
    }

    public async Task RecordPollAsync(long feedId, FeedPollOutcome outcome, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await RecordPollAsync(connection, null, feedId, outcome, cancellationToken);
    }

    private Task RecordPollAsync(DbConnection connection, DbTransaction? transaction, long feedId, FeedPollOutcome outcome, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command(
            RecordPollSql,
            new { feedId, outcome.ETag, outcome.LastModified, polled = Ms(outcome.PolledAt), outcome.Success, outcome.Error, outcome.ConsecutiveFailures, next = Ms(outcome.NextPollAt), outcome.PausedReason },
            transaction,
            cancellationToken));

    public async Task<int> StorePollAsync(long feedId, IReadOnlyList<Item> items, bool isBacklog, FeedPollOutcome outcome, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = await InsertItemsAsync(connection, transaction, feedId, items, isBacklog, outcome.PolledAt, cancellationToken);
        await RecordPollAsync(connection, transaction, feedId, outcome, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added.Count;
    }

    public async Task<IReadOnlyList<StoredItem>> AddItemsAsync(long feedId, IReadOnlyList<Item> items, bool isBacklog, DateTimeOffset firstSeen, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var name = await connection.QuerySingleAsync<string>(Command("SELECT name FROM feeds WHERE id = @feedId", new { feedId }, transaction, cancellationToken));
        var added = await InsertItemsAsync(connection, transaction, feedId, items, isBacklog, firstSeen, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added.Select(a => new StoredItem(a.Id, feedId, name, a.Item, firstSeen, isBacklog, null, null)).ToList();
    }

    /// <summary>Inserts the items the feed does not have yet (the search index follows in the same transaction); returns the new ones, in the batch's order.</summary>
    private protected abstract Task<List<(long Id, Item Item)>> InsertItemsAsync(DbConnection connection, DbTransaction transaction, long feedId, IReadOnlyList<Item> items, bool isBacklog, DateTimeOffset firstSeen, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<StoredItem>> GetItemsSinceAsync(DateTimeOffset firstSeenAfter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(Command(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.first_seen > @since ORDER BY i.id",
            new { since = Ms(firstSeenAfter) },
            null,
            cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<IReadOnlyList<StoredItem>> GetUnprocessedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(Command(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.relevant IS NULL ORDER BY i.published_at, i.id LIMIT @limit",
            new { limit },
            null,
            cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<IReadOnlyList<ClusteredItem>> GetClusteredAsync(long afterSequence, DateTimeOffset firstSeenAfter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClusteredRow>(Command(
            """
            SELECT i.id, i.story_id, i.cluster_seq, i.item_key, f.name AS feed_name, i.title, i.summary, i.published_at, i.url
            FROM items i JOIN feeds f ON f.id = i.feed_id
            WHERE i.cluster_seq > @afterSequence AND i.first_seen > @since AND i.story_id IS NOT NULL
            ORDER BY i.cluster_seq, i.id
            """,
            new { afterSequence, since = Ms(firstSeenAfter) },
            null,
            cancellationToken));
        return rows.Select(r => new ClusteredItem(r.id, r.story_id, r.cluster_seq, r.item_key, r.feed_name, r.title, r.summary, At(r.published_at)) { Url = r.url }).ToList();
    }

    public async Task<IReadOnlyList<StoredItem>> GetStoryItemsAsync(long storyId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(Command(
            $"SELECT {ItemColumns} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id = @storyId ORDER BY i.published_at, i.id",
            new { storyId },
            null,
            cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<long> ReserveStoryIdAsync(CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<long>(Command(
            "UPDATE pipeline_counters SET value = value + 1 WHERE name = 'story_id' RETURNING value", null, null, cancellationToken));
    }

    public async Task<long?> CommitProcessedAsync(ProcessedBatch batch, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sequence = await connection.QuerySingleAsync<long>(Command(
            "UPDATE pipeline_counters SET value = value + 1 WHERE name = 'cluster_seq' RETURNING value", null, transaction, cancellationToken));

        // Each item is processed once: a verdict for an item someone else processed meanwhile voids the whole commit.
        var classified = await connection.ExecuteAsync(Command(
            "UPDATE items SET relevant = @relevant, score = @score, tags = @tags, reasons = @reasons WHERE id = @ItemId AND relevant IS NULL",
            batch.Verdicts.Select(v => new { v.ItemId, relevant = v.Relevance.Relevant, score = v.Relevance.Score, tags = JsonSerializer.Serialize(v.Relevance.Tags, Json), reasons = JsonSerializer.Serialize(v.Relevance.Reasons, Json) }),
            transaction,
            cancellationToken));
        if (classified != batch.Verdicts.Count)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var seen = Ms(at);
        await connection.ExecuteAsync(Command(
            "INSERT INTO stories(id, title, url, score, first_seen, last_seen) VALUES (@StoryId, @Title, @Url, @Score, @seen, @seen)",
            batch.NewStories.Select(n => new { n.StoryId, n.Title, n.Url, n.Score, seen }),
            transaction,
            cancellationToken));
        // Items that leave a story for another (a story read again split, or a member fits another story better): the
        // story they leave is due for a refresh too, and a story the split started was shown wherever its items were.
        // The ids are numbers, written into the statement: one spelling of a list for both dialects.
        var placedIds = string.Join(',', batch.Placements.Select(p => p.ItemId.ToString(CultureInfo.InvariantCulture)));
        var moves = placedIds.Length == 0 ? [] : (await connection.QueryAsync<(long ItemId, long StoryId)>(Command(
            $"SELECT id, story_id FROM items WHERE id IN ({placedIds}) AND story_id IS NOT NULL", null, transaction, cancellationToken)))
            .Join(batch.Placements, m => m.ItemId, p => p.ItemId, (m, p) => (From: m.StoryId, To: p.StoryId))
            .Where(m => m.From != m.To)
            .ToList();
        var moved = moves.Distinct().ToList();
        var versions = new Dictionary<long, long>();
        foreach (var storyId in batch.Placements.Select(p => p.StoryId).Concat(batch.Merges.Select(m => m.IntoStoryId)).Concat(moved.Select(m => m.From)).Distinct())
        {
            versions[storyId] = await connection.QuerySingleAsync<long>(Command(
                "UPDATE stories SET version = version + 1 WHERE id = @storyId RETURNING version", new { storyId }, transaction, cancellationToken));
        }

        var started = batch.NewStories.Select(n => n.StoryId).ToHashSet();
        // A started story holding items of committed stories was split off: from the story that gave it most of them.
        foreach (var split in moves.Where(m => started.Contains(m.To)).GroupBy(m => m.To))
        {
            var from = split.CountBy(m => m.From).OrderByDescending(c => c.Value).ThenBy(c => c.Key).First().Key;
            await connection.ExecuteAsync(Command(
                "UPDATE stories SET split_from = @from WHERE id = @to", new { from, to = split.Key }, transaction, cancellationToken));
        }

        foreach (var (from, to) in moved.Where(m => started.Contains(m.To)))
        {
            await connection.ExecuteAsync(Command(
                """
                INSERT INTO digest_entries(channel_id, story_id, last_seen_sent, shown, sources_sent, lines_sent)
                SELECT channel_id, @to, last_seen_sent, shown, sources_sent, lines_sent FROM digest_entries e
                WHERE story_id = @from AND NOT EXISTS (SELECT 1 FROM digest_entries WHERE channel_id = e.channel_id AND story_id = @to)
                """,
                new { from, to },
                transaction,
                cancellationToken));
        }

        // An item the story it leaves had been refreshed with is no news where it goes (as in a merge, below).
        await connection.ExecuteAsync(Command(
            """
            UPDATE items SET story_id = @StoryId, duplicate_of = @DuplicateOfItemId, cluster_seq = @sequence,
                joined_version = CASE WHEN joined_version <= (SELECT refreshed_version FROM stories WHERE id = items.story_id)
                    THEN (SELECT refreshed_version FROM stories WHERE id = @StoryId) ELSE @version END
            WHERE id = @ItemId
            """,
            batch.Placements.Select(p => new { p.ItemId, p.StoryId, p.DuplicateOfItemId, sequence, version = versions[p.StoryId] }),
            transaction,
            cancellationToken));

        // After the placements: an item placed in a story this batch merges away (another feed's copy of its article)
        // moves with it, as a new item of the survivor.
        foreach (var merge in batch.Merges)
        {
            await MergeStoryAsync(connection, transaction, merge, sequence, versions[merge.IntoStoryId], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return sequence;
    }

    /// <summary>
    /// Merges one story into another within a process commit, so that users see one story and nothing twice: its items
    /// move (with this commit's sequence, so every worker's window catches up), and it leads to the survivor from then on
    /// (<c>merged_into</c>, also for stories merged into it before). Items the merged story had already been refreshed
    /// with are no news to the survivor — they take its refreshed version, so its refresh neither alerts on them nor
    /// makes it fresh — while items not yet refreshed join at the survivor's new version, as any new item does. What
    /// each channel's digests covered of the merged story counts for the survivor (its sources and key lines shown), and
    /// a subscriber alerted on the merged story counts as alerted on the survivor (the alert's key is moved to it).
    /// </summary>
    private static async Task MergeStoryAsync(DbConnection connection, DbTransaction transaction, StoryMerge merge, long sequence, long version, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(Command(
            """
            UPDATE items SET story_id = @IntoStoryId, cluster_seq = @sequence,
                joined_version = CASE WHEN joined_version <= (SELECT refreshed_version FROM stories WHERE id = @StoryId)
                    THEN (SELECT refreshed_version FROM stories WHERE id = @IntoStoryId) ELSE @version END
            WHERE story_id = @StoryId;
            UPDATE stories SET merged_into = @IntoStoryId WHERE merged_into = @StoryId;
            UPDATE stories SET merged_into = @IntoStoryId, version = version + 1, claimed_by = NULL, claimed_until = NULL WHERE id = @StoryId;
            """,
            new { merge.StoryId, merge.IntoStoryId, sequence, version },
            transaction,
            cancellationToken));

        var entries = (await connection.QueryAsync<MergedEntryRow>(Command(
            "SELECT channel_id, story_id, last_seen_sent, shown, sources_sent, lines_sent FROM digest_entries WHERE story_id IN (@StoryId, @IntoStoryId)",
            new { merge.StoryId, merge.IntoStoryId },
            transaction,
            cancellationToken))).ToList();
        foreach (var merged in entries.Where(e => e.story_id == merge.StoryId))
        {
            var survivor = entries.FirstOrDefault(e => e.story_id == merge.IntoStoryId && e.channel_id == merged.channel_id);
            var shown = merged.shown || survivor?.shown == true;
            var sources = JsonSerializer.Serialize(Strings(survivor?.sources_sent).Union(Strings(merged.sources_sent)).ToList(), Json);
            var lines = JsonSerializer.Serialize(Strings(survivor?.lines_sent).Union(Strings(merged.lines_sent)).ToList(), Json);
            await connection.ExecuteAsync(Command(
                survivor is null
                    ? "INSERT INTO digest_entries(channel_id, story_id, last_seen_sent, shown, sources_sent, lines_sent) VALUES (@channelId, @IntoStoryId, @sent, @shown, @sources, @lines)"
                    : "UPDATE digest_entries SET shown = @shown, sources_sent = @sources, lines_sent = @lines WHERE channel_id = @channelId AND story_id = @IntoStoryId",
                new { channelId = merged.channel_id, merge.IntoStoryId, sent = merged.last_seen_sent, shown, sources, lines },
                transaction,
                cancellationToken));
        }

        var suffix = string.Create(CultureInfo.InvariantCulture, $":{merge.StoryId}");
        var alerts = await connection.QueryAsync<string>(Command(
            "SELECT dedup_key FROM outbox WHERE kind = @kind AND dedup_key LIKE @pattern",
            new { kind = OutboxPayload.AlertKind, pattern = "alert:%" + suffix },
            transaction,
            cancellationToken));
        foreach (var key in alerts.Where(k => k.EndsWith(suffix, StringComparison.Ordinal)))
        {
            var moved = string.Create(CultureInfo.InvariantCulture, $"{key[..^suffix.Length]}:{merge.IntoStoryId}");
            await connection.ExecuteAsync(Command(
                "UPDATE outbox SET dedup_key = @moved WHERE dedup_key = @key AND NOT EXISTS (SELECT 1 FROM outbox WHERE dedup_key = @moved)",
                new { key, moved },
                transaction,
                cancellationToken));
        }
    }

    private sealed class MergedEntryRow
    {
        public long channel_id { get; init; }
        public long story_id { get; init; }
        public long last_seen_sent { get; init; }
        public bool shown { get; init; }
        public string sources_sent { get; init; } = "";
        public string lines_sent { get; init; } = "";
    }

    public async Task<StoryClaim?> ClaimRefreshAsync(string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ClaimRow>(Command(ClaimRefreshSql, new { claimer, now = Ms(now), until = Ms(now + ttl) }, null, cancellationToken));
        return row is null ? null : new StoryClaim(row.id, (int)row.version, (int)row.refreshed_version, At(row.first_seen));
    }

    public async Task<bool> CommitRefreshAsync(StoryRefresh refresh, IReadOnlyList<OutboxEntry> messages, string claimer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(Command(
            """
            UPDATE stories SET title = @Title, url = @Url, score = @Score, tags = @tags, key_lines = @lines, refreshed_version = @Version,
                last_seen = CASE WHEN @HasNewItems THEN @at ELSE last_seen END, claimed_by = NULL, claimed_until = NULL,
                fresh_at = CASE WHEN @freshPublished IS NULL THEN fresh_at ELSE @at END,
                fresh_published = CASE WHEN @freshPublished IS NULL THEN fresh_published WHEN fresh_published IS NULL OR fresh_published < @freshPublished THEN @freshPublished ELSE fresh_published END
            WHERE id = @StoryId AND refreshed_version < @Version AND merged_into IS NULL
            """,
            new { refresh.StoryId, refresh.Title, refresh.Url, refresh.Score, tags = JsonSerializer.Serialize(refresh.Tags, Json), lines = JsonSerializer.Serialize(refresh.KeyLines, Json), refresh.Version, refresh.HasNewItems, at = Ms(at), freshPublished = Ms(refresh.FreshPublished) },
            transaction,
            cancellationToken));
        if (updated == 0)
        {
            // Refreshed by someone else meanwhile: only this worker's claim, if it still holds one, is given back.
            await connection.ExecuteAsync(Command(ReleaseRefreshSql, new { storyId = refresh.StoryId, claimer }, transaction, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        foreach (var message in messages)
        {
            await InsertOutboxAsync(connection, transaction, message.ChannelId, message.Kind, message.DedupKey, message.Payload, at, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>One statement for both dialects: <c>NOT community_only</c> reads SQLite's 0/1 and PostgreSQL's boolean alike.</summary>
    public async Task<IReadOnlyList<long>> GetScopeFeedIdsAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(Command(
            """
            SELECT f.id FROM feeds f
            WHERE (NOT f.community_only OR EXISTS (SELECT 1 FROM community_feeds c WHERE c.feed_id = f.id AND c.community_id = @communityId))
              AND NOT EXISTS (SELECT 1 FROM community_mutes m WHERE m.feed_id = f.id AND m.community_id = @communityId)
            ORDER BY f.id
            """,
            new { communityId },
            null,
            cancellationToken))).AsList();
    }

    public async Task<PipelineBacklog> GetBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<BacklogRow>(Command(
            """
            SELECT (SELECT count(*) FROM items WHERE relevant IS NULL) AS unprocessed,
                   (SELECT count(*) FROM stories WHERE version > refreshed_version AND merged_into IS NULL) AS due
            """,
            null,
            null,
            cancellationToken));
        return new PipelineBacklog(row.unprocessed, row.due);
    }

    public async Task ReleaseRefreshAsync(long storyId, string claimer, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(Command(ReleaseRefreshSql, new { storyId, claimer }, null, cancellationToken));
    }

    public async Task<int> RequeueKeyLinesAsync(int revision, int latest, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recorded = await connection.QuerySingleOrDefaultAsync<string?>(Command(ReadStateSql, new { key = KeyLinesRevisionKey }, transaction, cancellationToken));
        if (int.TryParse(recorded, CultureInfo.InvariantCulture, out var stored) && stored >= revision)
        {
            return 0;
        }

        // Stories already due are refreshed anyway. Two workers starting at once may both raise a story's version:
        // one refresh still covers both.
        var queued = await connection.ExecuteAsync(Command(
            """
            UPDATE stories SET version = version + 1
            WHERE id IN (SELECT id FROM stories WHERE merged_into IS NULL AND refreshed_version > 0 AND version = refreshed_version
                         ORDER BY last_seen DESC, id DESC LIMIT @latest)
            """,
            new { latest },
            transaction,
            cancellationToken));
        await connection.ExecuteAsync(Command(
            WriteStateSql,
            new { key = KeyLinesRevisionKey, value = revision.ToString(CultureInfo.InvariantCulture) },
            transaction,
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    public async Task<StoryRecord?> GetStoryAsync(long storyId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        // A merged story's id leads to the story it was merged into (merged_into always names a story not merged itself).
        var rows = await connection.QueryAsync<StoryRow>(Command(
            $"{StorySelect} WHERE s.id = coalesce((SELECT merged_into FROM stories WHERE id = @storyId), @storyId)", new { storyId }, null, cancellationToken));
        if ((await WithSourcesAsync(connection, rows.ToList())).FirstOrDefault() is not { } story)
        {
            return null;
        }

        // The stories split off from it or from a story merged into it, where they are now (one may have been merged since).
        var splitOff = await connection.QueryAsync<long>(Command(
            "SELECT DISTINCT coalesce(merged_into, id) AS id FROM stories WHERE split_from = @id OR split_from IN (SELECT id FROM stories WHERE merged_into = @id) ORDER BY 1", new { id = story.Id }, null, cancellationToken));
        return story with { SplitOff = splitOff.Where(id => id != story.Id).ToList() };
    }

    public async Task<IReadOnlyList<ChannelRecord>> GetChannelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ChannelRow>("SELECT * FROM channels ORDER BY id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<ChannelRecord?> GetChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<ChannelRow>("SELECT * FROM channels WHERE id = @channelId", new { channelId }))?.ToRecord();
    }

    public async Task SetChannelScheduleAsync(long channelId, string schedule, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE channels SET schedule = @schedule, time_zone = @timeZone WHERE id = @channelId", new { channelId, schedule, timeZone });
    }

    public async Task SetChannelSayNothingNewAsync(long channelId, bool say, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(Command("UPDATE channels SET say_nothing_new = @say WHERE id = @channelId", new { channelId, say }, null, cancellationToken));
    }

    public async Task<IReadOnlyDictionary<long, SentStory>> GetSentAsync(long channelId, IReadOnlyCollection<long> storyIds, CancellationToken cancellationToken)
    {
        if (storyIds.Count == 0)
        {
            return new Dictionary<long, SentStory>();
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SentRow>(Command(
            $"SELECT story_id, sources_sent, lines_sent FROM digest_entries WHERE channel_id = @channelId AND shown = @shown AND story_id IN ({string.Join(',', storyIds)})",
            new { channelId, shown = true },
            null,
            cancellationToken));
        return rows.ToDictionary(r => r.story_id, r => new SentStory(r.story_id, Strings(r.sources_sent), Strings(r.lines_sent)));
    }

    public async Task<bool> SetFeedMutedAsync(string communityId, long feedId, bool muted, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(
            muted
                ? "INSERT INTO community_mutes(community_id, feed_id) VALUES (@communityId, @feedId) ON CONFLICT DO NOTHING"
                : "DELETE FROM community_mutes WHERE community_id = @communityId AND feed_id = @feedId",
            new { communityId, feedId },
            null,
            cancellationToken)) > 0;
    }

    public async Task<IReadOnlyCollection<long>> GetMutedFeedsAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(Command("SELECT feed_id FROM community_mutes WHERE community_id = @communityId ORDER BY feed_id", new { communityId }, null, cancellationToken))).ToList();
    }

    /// <summary>Records the stories a digest covered; a story shown again keeps what it showed last, one passed over keeps what it showed before.</summary>
    private protected static Task RecordDigestEntriesAsync(DbConnection connection, DbTransaction transaction, long channelId, IReadOnlyList<DigestEntry> stories, string greatest, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command(
            $"""
            INSERT INTO digest_entries(channel_id, story_id, last_seen_sent, shown, sources_sent, lines_sent) VALUES (@channelId, @StoryId, @sent, @Shown, @sources, @lines)
            ON CONFLICT(channel_id, story_id) DO UPDATE SET last_seen_sent = {greatest}(digest_entries.last_seen_sent, excluded.last_seen_sent),
                shown = CASE WHEN excluded.shown THEN excluded.shown ELSE digest_entries.shown END,
                sources_sent = CASE WHEN excluded.shown THEN excluded.sources_sent ELSE digest_entries.sources_sent END,
                lines_sent = CASE WHEN excluded.shown THEN excluded.lines_sent ELSE digest_entries.lines_sent END
            """,
            stories.Select(s => new { channelId, s.StoryId, sent = Ms(s.FreshAt) ?? 0, s.Shown, sources = JsonSerializer.Serialize(s.Sources, Json), lines = JsonSerializer.Serialize(s.Lines, Json) }),
            transaction,
            cancellationToken));

    public async Task SetChannelPausedAsync(long channelId, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE channels SET paused_reason = @reason WHERE id = @channelId", new { channelId, reason });
    }

    public async Task<ChannelRecord?> FindChannelAsync(string platform, string address, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<ChannelRow>("SELECT * FROM channels WHERE platform = @platform AND address = @address", new { platform, address }))?.ToRecord();
    }

    public async Task<IReadOnlyList<string>> GetIncludePhrasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var lists = await connection.QueryAsync<string>("SELECT include_phrases FROM community_topics");
        return lists.SelectMany(Strings).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<IReadOnlyList<string>> GetExcludePhrasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var lists = await connection.QueryAsync<string>("SELECT exclude_phrases FROM community_topics");
        return lists.SelectMany(Strings).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<TopicSettings> GetTopicSettingsAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TopicRow>("SELECT include_phrases, exclude_phrases, threshold FROM community_topics WHERE community_id = @communityId", new { communityId });
        return row is null ? TopicSettings.Default : new TopicSettings(Strings(row.include_phrases), Strings(row.exclude_phrases), row.threshold);
    }

    public async Task SetTopicSettingsAsync(string communityId, TopicSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO community_topics(community_id, include_phrases, exclude_phrases, threshold) VALUES (@communityId, @include, @exclude, @Threshold)
            ON CONFLICT(community_id) DO UPDATE SET include_phrases = excluded.include_phrases, exclude_phrases = excluded.exclude_phrases, threshold = excluded.threshold
            """,
            new { communityId, include = JsonSerializer.Serialize(settings.Include, Json), exclude = JsonSerializer.Serialize(settings.Exclude, Json), settings.Threshold });
    }

    public async Task<SubscriptionRecord> EnsureSubscriptionAsync(string platform, string userId, string communityId, long channelId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
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
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE platform = @platform AND user_id = @userId AND community_id = @communityId",
            new { platform, userId, communityId })).ToList();
        return (await WithAlertsAsync(connection, rows)).FirstOrDefault();
    }

    public async Task SetSubscriptionDigestAsync(long subscriptionId, bool digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE subscriptions SET digest = @digest WHERE id = @subscriptionId", new { subscriptionId, digest });
    }

    public async Task<bool> AddAlertAsync(long subscriptionId, string phrase, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "INSERT INTO alerts(subscription_id, phrase, created_at) VALUES (@subscriptionId, @phrase, @at) ON CONFLICT DO NOTHING",
            new { subscriptionId, phrase, at = Ms(at) }) > 0;
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> GetAlertSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM subscriptions s WHERE EXISTS (SELECT 1 FROM alerts a WHERE a.subscription_id = s.id) ORDER BY id")).ToList();
        return await WithAlertsAsync(connection, rows);
    }

    public async Task RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO feedback(story_id, community_id, user_id, verdict, created_at) VALUES (@StoryId, @CommunityId, @UserId, @Verdict, @at)
            ON CONFLICT(story_id, community_id, user_id) DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at
            """,
            new { feedback.StoryId, feedback.CommunityId, feedback.UserId, feedback.Verdict, at = Ms(feedback.At) });
    }

    public async Task<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedbackRow>("SELECT story_id, verdict, community_id, user_id, created_at FROM feedback ORDER BY id");
        return rows.Select(r => new FeedbackRecord(r.story_id, r.verdict, r.community_id, r.user_id, At(r.created_at))).ToList();
    }

    public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(ReadStateSql, new { key });
    }

    public async Task SetStateAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(WriteStateSql, new { key, value });
    }

    public async Task<bool> EnqueueAsync(long channelId, string kind, string dedupKey, string payload, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await InsertOutboxAsync(connection, null, channelId, kind, dedupKey, payload, createdAt, cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(long? channelId, int limit, CancellationToken cancellationToken)
    {
        // The channel filter is written only when there is one: an untyped null parameter is an error on PostgreSQL.
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {OutboxColumns} FROM outbox WHERE sent_at IS NULL AND set_aside_at IS NULL{(channelId is null ? "" : " AND channel_id = @channelId")} ORDER BY id LIMIT @limit",
            new { channelId, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMessage()).ToList();
    }

    public Task RecordPartsSentAsync(long messageId, string claimer, int partsSent, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
        => ExecuteAsync(
            """
            UPDATE outbox SET parts_sent = CASE WHEN parts_sent > @partsSent THEN parts_sent ELSE @partsSent END,
                claimed_until = CASE WHEN claimed_by = @claimer THEN @until ELSE claimed_until END
            WHERE id = @messageId
            """,
            new { messageId, claimer, partsSent, until = Ms(claimedUntil) },
            cancellationToken);

    public Task MarkSentAsync(long messageId, DateTimeOffset sentAt, CancellationToken cancellationToken)
        => ExecuteAsync(
            "UPDATE outbox SET sent_at = @at, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = @messageId",
            new { messageId, at = Ms(sentAt) },
            cancellationToken);

    public Task MarkFailedAsync(long messageId, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
        => ExecuteAsync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL WHERE id = @messageId",
            new { messageId, error, next = Ms(nextAttemptAt) },
            cancellationToken);

    public Task SetAsideAsync(long messageId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
        => ExecuteAsync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @reason, set_aside_at = @at, next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = @messageId",
            new { messageId, reason, at = Ms(at) },
            cancellationToken);

    public Task ReleaseClaimAsync(long messageId, string claimer, CancellationToken cancellationToken)
        => ExecuteAsync(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = @messageId AND claimed_by = @claimer",
            new { messageId, claimer },
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetClaimersAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT claimed_by FROM outbox WHERE claimed_until > @now AND substr(claimed_by, 1, length(@prefix)) = @prefix
            UNION SELECT claimed_by FROM inbox WHERE claimed_until > @now AND substr(claimed_by, 1, length(@prefix)) = @prefix
            UNION SELECT claimed_by FROM stories WHERE claimed_until > @now AND substr(claimed_by, 1, length(@prefix)) = @prefix
            ORDER BY claimed_by
            """,
            new { prefix, now = Ms(now) },
            cancellationToken: cancellationToken))).ToList();
    }

    public Task ExpireClaimsAsync(string claimer, DateTimeOffset now, CancellationToken cancellationToken)
        => ExecuteAsync(
            """
            UPDATE outbox SET claimed_until = @now WHERE claimed_by = @claimer AND claimed_until > @now;
            UPDATE inbox SET claimed_until = @now WHERE claimed_by = @claimer AND claimed_until > @now;
            UPDATE stories SET claimed_until = @now WHERE claimed_by = @claimer AND claimed_until > @now;
            """,
            new { claimer, now = Ms(now) },
            cancellationToken);

    public async Task<IReadOnlyList<long>> GetDueChannelsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT h.channel_id FROM outbox h
            JOIN ({WaitingHeads}) w ON w.id = h.id
            JOIN channels c ON c.id = h.channel_id
            WHERE c.paused_reason IS NULL AND coalesce(h.next_attempt_at, 0) <= @now AND coalesce(h.claimed_until, 0) <= @now
            ORDER BY h.id
            """,
            new { now = Ms(now) },
            cancellationToken: cancellationToken))).ToList();
    }

    public async Task<IReadOnlyList<ChannelBacklog>> GetOutboxBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxBacklogRow>(new CommandDefinition(
            $"""
            SELECT o.channel_id,
                   sum(CASE WHEN o.sent_at IS NULL AND o.set_aside_at IS NULL THEN 1 ELSE 0 END) AS waiting,
                   sum(CASE WHEN o.set_aside_at IS NOT NULL THEN 1 ELSE 0 END) AS set_aside,
                   max(h.next_attempt_at) AS next_attempt_at,
                   max(h.last_error) AS last_error
            FROM outbox o
            LEFT JOIN ({WaitingHeads}) w ON w.channel_id = o.channel_id
            LEFT JOIN outbox h ON h.id = w.id
            WHERE o.sent_at IS NULL
            GROUP BY o.channel_id
            ORDER BY o.channel_id
            """,
            cancellationToken: cancellationToken));
        return rows.Select(r => new ChannelBacklog(r.channel_id, (int)r.waiting, At(r.next_attempt_at), r.last_error, (int)r.set_aside)).ToList();
    }

    public async Task<IReadOnlyList<SetAsideMessage>> GetSetAsideAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SetAsideRow>(new CommandDefinition(
            "SELECT id, channel_id, kind, created_at, set_aside_at, attempts, last_error FROM outbox WHERE set_aside_at IS NOT NULL AND sent_at IS NULL ORDER BY set_aside_at DESC, id DESC LIMIT @limit",
            new { limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new SetAsideMessage(r.id, r.channel_id, r.kind, At(r.created_at), At(r.set_aside_at), r.attempts, r.last_error ?? "")).ToList();
    }

    // ---- Inbox

    public async Task<int> ReceiveUpdatesAsync(string source, IReadOnlyList<InboxEntry> entries, (string Key, string Value)? state, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = 0;
        foreach (var entry in entries)
        {
            added += await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO inbox(source, external_id, queue, payload, received_at) VALUES (@source, @ExternalId, @Queue, @Payload, @at) ON CONFLICT(source, external_id) DO NOTHING",
                new { source, entry.ExternalId, entry.Queue, entry.Payload, at = Ms(at) },
                transaction,
                cancellationToken: cancellationToken));
        }

        if (state is { } next)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                WriteStateSql,
                new { key = next.Key, value = next.Value },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<InboxMessage?> ClaimNextUpdateAsync(string source, string queue, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only the queue's oldest unhandled update can be claimed, so a chat's updates are handled in order. Two workers
        // racing for it: the second re-reads the row the first updated and finds it claimed (or handled), and gets nothing.
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InboxRow>(new CommandDefinition(
            """
            UPDATE inbox SET claimed_by = @claimer, claimed_until = @until, attempts = attempts + 1
            WHERE id = (SELECT id FROM inbox WHERE source = @source AND queue = @queue AND handled_at IS NULL ORDER BY id LIMIT 1)
              AND handled_at IS NULL
              AND (claimed_until IS NULL OR claimed_until <= @now OR claimed_by = @claimer)
            RETURNING id, source, external_id, queue, payload, received_at, attempts
            """,
            new { source, queue, claimer, now = Ms(now), until = Ms(now + ttl) },
            cancellationToken: cancellationToken));
        return row?.ToMessage();
    }

    public Task MarkUpdateHandledAsync(long updateId, DateTimeOffset at, CancellationToken cancellationToken)
        => ExecuteAsync(
            "UPDATE inbox SET handled_at = @at, claimed_by = NULL, claimed_until = NULL WHERE id = @updateId",
            new { updateId, at = Ms(at) },
            cancellationToken);

    public Task ReleaseUpdateAsync(long updateId, string claimer, CancellationToken cancellationToken)
        => ExecuteAsync(
            "UPDATE inbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1 WHERE id = @updateId AND claimed_by = @claimer AND handled_at IS NULL",
            new { updateId, claimer },
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetWaitingQueuesAsync(string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT h.queue FROM inbox h
            JOIN (SELECT min(id) AS id FROM inbox WHERE source = @source AND handled_at IS NULL GROUP BY queue) w ON w.id = h.id
            WHERE coalesce(h.claimed_until, 0) <= @now
            ORDER BY h.id
            """,
            new { source, now = Ms(now) },
            cancellationToken: cancellationToken))).ToList();
    }

    public async Task<int> PruneUpdatesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < @before",
            new { before = Ms(before) },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
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
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE leases SET expires_at = @until WHERE name = @name AND holder = @holder",
            new { name, holder, until = Ms(now + ttl) }) > 0;
    }

    public async Task<IReadOnlyList<LeaseRecord>> GetLeasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Holder, long ExpiresAt)>(
            new CommandDefinition("SELECT name, holder, expires_at FROM leases ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => new LeaseRecord(r.Name, r.Holder, At(r.ExpiresAt))).ToList();
    }

    public async Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        using var writing = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder });
    }

    private protected static async Task<IReadOnlyList<StoryRecord>> WithSourcesAsync(DbConnection connection, List<StoryRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var sources = (await connection.QueryAsync<SourceRow>(
                $"SELECT i.story_id, i.id, f.name, i.url, i.feed_id FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.story_id IN ({string.Join(',', rows.Select(r => r.id))}) ORDER BY i.published_at, i.id"))
            .GroupBy(s => s.story_id)
            .ToDictionary(g => g.Key, g => g.DistinctBy(s => s.feed_id).DistinctBy(s => s.name, StringComparer.OrdinalIgnoreCase).DistinctBy(s => StorySource.ArticleKey(s.url, s.id)).Select(s => new StorySource(s.name, s.url)).ToList());
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
            (int)r.item_count)
        {
            FreshAt = At(r.fresh_at),
            SplitFrom = r.split_from,
        }).ToList();
    }

    private protected static async Task<List<SubscriptionRecord>> WithAlertsAsync(DbConnection connection, List<SubscriptionRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var phrases = (await connection.QueryAsync<AlertRow>(
                $"SELECT subscription_id, phrase FROM alerts WHERE subscription_id IN ({string.Join(',', rows.Select(r => r.id))}) ORDER BY created_at, lower(phrase)"))
            .ToLookup(a => a.subscription_id, a => a.phrase);
        return rows.Select(r => new SubscriptionRecord(r.id, r.platform, r.user_id, r.community_id, r.channel_id, r.digest, phrases[r.id].ToList())).ToList();
    }

    private protected static async Task<bool> InsertOutboxAsync(DbConnection connection, DbTransaction? transaction, long channelId, string kind, string dedupKey, string payload, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(Command(
            "INSERT INTO outbox(channel_id, kind, dedup_key, payload, created_at) VALUES (@channelId, @kind, @dedupKey, @payload, @at) ON CONFLICT(dedup_key) DO NOTHING",
            new { channelId, kind, dedupKey, payload, at = Ms(createdAt) },
            transaction,
            cancellationToken)) > 0;
}
