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
internal sealed class PostgresStore : DapperStore, IDigestStore, IAsyncDisposable, IDisposable
{
    /// <summary>Held while migrating, so workers starting together apply each migration once.</summary>
    internal const long MigrationLock = 0x_D16E_5700_0001;

    /// <summary>
    /// How many connections <c>/search</c> has (<see cref="searchSource"/>): the same few server processes answer every
    /// search, so each maps the pages of the search indexes and the recent tier once, not each pooled connection in turn.
    /// </summary>
    internal const int SearchConnections = 2;

    private readonly NpgsqlDataSource dataSource;

    /// <summary>
    /// The connections searches run on, kept open (not pruned when idle). A PostgreSQL server process that reads a page
    /// of the shared buffers for the first time maps it into its own memory: a page fault for every few pages. The
    /// general pool hands out its idle connections in turn, so with ten of them every search ran on a process that had
    /// not yet read that word's pages — on this machine (a VM where a page fault costs some 100 µs) the first time a
    /// process ran a search took 25–70 ms of CPU and the next 1–3 ms, on the same buffers (<c>perf stat</c>: 200–350
    /// page faults against 2–3). Named "… search" in <c>pg_stat_activity</c>.
    /// </summary>
    private readonly NpgsqlDataSource searchSource;

    private readonly NpgsqlConnectionStringBuilder target;

    /// <summary>A connection string Npgsql cannot read is a <see cref="StorageException"/> naming <c>Storage:ConnectionString</c>.</summary>
    public PostgresStore(string connectionString)
    {
        try
        {
            target = new NpgsqlConnectionStringBuilder(connectionString);
            dataSource = NpgsqlDataSource.Create(target);
            var searches = new NpgsqlConnectionStringBuilder(target.ConnectionString);
            searches.MaxPoolSize = Math.Min(searches.MaxPoolSize, SearchConnections);
            searches.MinPoolSize = searches.MaxPoolSize;
            searches.ApplicationName = string.IsNullOrEmpty(searches.ApplicationName) ? "digest search" : searches.ApplicationName + " search";
            searchSource = NpgsqlDataSource.Create(searches);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw StorageFaults.Malformed("PostgreSQL", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await searchSource.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    public void Dispose()
    {
        searchSource.Dispose();
        dataSource.Dispose();
    }

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    /// <summary>
    /// Applies the migrations under an advisory lock. A server that cannot be reached, refuses the login or stops
    /// answering once connected is a <see cref="StorageException"/> in one line. Waiting for the lock and running a script have no command timeout: on
    /// a big archive a script takes minutes (0010 about 75 s at a million items), and another worker starting meanwhile
    /// waits for it to finish rather than stopping with a timeout; shutdown still cancels either.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await OpenAsync(cancellationToken);
        }
        catch (Exception e) when (StorageFaults.DescribePostgres(e, target) is { } fault)
        {
            throw new StorageException(fault, e);
        }

        await using (connection)
        {
            try
            {
                await ApplyMigrationsAsync(connection, cancellationToken);
            }
            catch (Exception e) when (StorageFaults.DescribePostgres(e, target, connected: true) is { } fault)
            {
                throw new StorageException(fault, e);
            }
        }
    }

    private static async Task ApplyMigrationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLock }, commandTimeout: 0, cancellationToken: cancellationToken));
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
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
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

    private protected override string RecordPollSql =>
        """
            UPDATE feeds SET etag = @ETag, last_modified = @LastModified, last_polled_at = @polled,
                last_success_at = CASE WHEN @Success THEN @polled ELSE last_success_at END,
                last_error = @Error, consecutive_failures = @ConsecutiveFailures, next_poll_at = @next, paused_reason = @PausedReason,
                backlog_stored = backlog_stored OR @Success
            WHERE id = @feedId
        """;

    private protected override string ClaimRefreshSql =>
        """
            UPDATE stories s SET claimed_by = @claimer, claimed_until = @until
            FROM (SELECT id FROM stories WHERE version > refreshed_version AND merged_into IS NULL AND (claimed_until IS NULL OR claimed_until <= @now)
                  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) due
            WHERE s.id = due.id
            RETURNING s.id, s.version, s.refreshed_version, s.first_seen
        """;

    // ---- Items

    /// <summary>
    /// The feed's batch in one statement, in the batch's order (so ids follow it, and of two items with one key the
    /// first is kept): the statement trigger that adds new words to the search index's word list (migration 0010) runs
    /// once per batch, not once per item (per item it cost about 0.3 ms at a million items).
    /// </summary>
    private protected override async Task<List<(long Id, Item Item)>> InsertItemsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long feedId, IReadOnlyList<Item> items, bool isBacklog, DateTimeOffset firstSeen, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<(long Id, string Key)>(Command(
            """
            INSERT INTO items(feed_id, item_key, title, url, summary, author, published_at, first_seen, is_backlog)
            SELECT @feedId, b.key, b.title, b.url, b.summary, b.author, b.published, @seen, @isBacklog
            FROM unnest(@keys, @titles, @urls, @summaries, @authors, @published) WITH ORDINALITY AS b(key, title, url, summary, author, published, at)
            ORDER BY b.at
            ON CONFLICT(feed_id, item_key) DO NOTHING
            RETURNING id, item_key
            """,
            new
            {
                feedId,
                seen = Ms(firstSeen),
                isBacklog,
                keys = items.Select(i => i.Key).ToArray(),
                titles = items.Select(i => i.Title).ToArray(),
                urls = items.Select(i => i.Url).ToArray(),
                summaries = items.Select(i => i.Summary).ToArray(),
                authors = items.Select(i => i.Author).ToArray(),
                published = items.Select(i => Ms(i.Published)).ToArray(),
            },
            transaction,
            cancellationToken));
        var first = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            first.TryAdd(item.Key, item);
        }

        return [.. rows.OrderBy(r => r.Id).Select(r => (r.Id, first[r.Key]))];
    }

    /// <summary>
    /// In three steps, so the cost stays flat as the archive grows: the newest <see cref="DapperStore.SearchCandidates"/>
    /// matching articles (<see cref="NewestMatchesAsync"/>), less the copies of an article another feed carried first,
    /// ordered — those whose headline matches (the tsvector's weight A) first, then by publication — and paged, and
    /// ts_headline for the page's rows only. No ts_rank over every match: that read every matching row's tsvector.
    /// The queries that find the candidates say whether each one's headline matches and when it was published, so they
    /// are ordered before the copies are dropped (the fence "OFFSET 0" keeps that order), and a page reads the items of
    /// the candidates up to its end only — six for the first page, not 500 (those 500 lookups were half of a search
    /// at a million items). The candidates are joined from a list, one primary-key lookup each: as "id = ANY(@ids)" the
    /// planner read them through the BRIN index of migration 0010, every page of the table (3.4 s).
    /// </summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, IReadOnlyCollection<long>? feedIds, int offset, int limit, CancellationToken cancellationToken)
    {
        var match = TsQuery(query);
        if (match.Length == 0 || offset >= SearchCandidates)
        {
            return [];
        }

        await using var connection = await searchSource.OpenConnectionAsync(cancellationToken);

        // One snapshot for the word list and every step after it: an item stored meanwhile with a new word the prefix
        // begins is either seen whole or not at all.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var scope = feedIds?.ToArray();
        var candidates = await NewestMatchesAsync(connection, query, match, TsQuery(query, "A"), scope, cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        // Headline matches first, then by publication: known from the matching rows themselves, so the page reads the
        // items of the candidates up to its end only.
        var ordered = candidates.OrderByDescending(c => c.Headlined).ThenByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id).Select(c => c.Id).ToArray();
        // Prepared (kept on the connection), so the server stops planning it per search: after five executions it keeps
        // one plan, which no word changes — the candidates' ids and the scope are lists either way. Planning them (the
        // 1,000 feeds' ids estimated one by one) was 0.8 ms of a search's 5–6 on the server at a million items. The
        // statements that find the candidates stay unprepared: their plan depends on how frequent the words are, and
        // one plan kept for every word took the span query from 2 to 78 ms a search, the tier's from 2 to 10.
        await using var page = new NpgsqlCommand(
            $"""
            WITH page AS MATERIALIZED (
                SELECT c.id, c.at FROM (SELECT n.id, n.at FROM unnest(@ids) WITH ORDINALITY AS n(id, at) ORDER BY n.at OFFSET 0) c
                JOIN items i ON i.id = c.id
                WHERE NOT EXISTS (SELECT 1 FROM items j WHERE (j.url = i.url AND j.id < i.id OR j.id = i.duplicate_of){Scope("j", scope)})
                ORDER BY c.at
                LIMIT @limit OFFSET @offset)
            SELECT i.id, i.story_id, i.title, i.url, f.name AS feed_name, i.published_at,
                   ts_headline('simple', i.summary, to_tsquery('simple', @match), 'StartSel=«, StopSel=», MaxWords=16, MinWords=6, ShortWord=2, MaxFragments=1, FragmentDelimiter=…') AS snippet
            FROM page p JOIN items i ON i.id = p.id JOIN feeds f ON f.id = i.feed_id
            ORDER BY p.at
            """,
            connection);
        page.Parameters.AddWithValue("ids", ordered);
        page.Parameters.AddWithValue("match", match);
        page.Parameters.AddWithValue("limit", limit);
        page.Parameters.AddWithValue("offset", offset);
        if (scope is not null)
        {
            page.Parameters.AddWithValue("feedIds", scope);
        }

        await page.PrepareAsync(cancellationToken);
        var rows = new List<HitRow>();
        await using (var reader = await page.ExecuteReaderAsync(cancellationToken))
        {
            var parse = reader.GetRowParser<HitRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(parse(reader));
            }
        }

        return rows.Select(r => new SearchHit(r.id, r.story_id, r.title, r.url, r.feed_name, At(r.published_at), r.snippet)).ToList();
    }

    /// <summary>The statements prepared on a search connection; tests search one at a time, so on one connection.</summary>
    internal async Task<IReadOnlyList<string>> SearchStatementsPreparedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await searchSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(Command("SELECT statement FROM pg_prepared_statements", null, null, cancellationToken))).AsList();
    }

    /// <summary>
    /// How many of the newest item ids a search looks among first in the search index of items
    /// (<see cref="NewestMatchesAsync"/>) when the recent tier is not read: enough for the candidates of a word in one
    /// article of thirty. Settable for tests, which cross it with a few items.
    /// </summary>
    internal long FirstSearchSpan { get; init; } = 16_384;

    /// <summary>
    /// Whether a search reads the recent tier (migration 0011) first. Off for tests, whose reference search reads the
    /// search index of items over every id.
    /// </summary>
    internal bool SearchRecentFirst { get; init; } = true;

    /// <summary>
    /// What reading one id of a span from the search index costs, in rows read for a match (about 1/150: measured at a
    /// million items, a span of 100,000 ids took as long as some 700 matching rows).
    /// </summary>
    private const double IdCostInRows = 1.0 / 150;

    /// <summary>
    /// How many words a prefix may stand for (<see cref="IndexedQueryAsync"/>): beyond that it stays a prefix query, as
    /// on SQLite. Settable for tests.
    /// </summary>
    internal int MostPrefixWords { get; init; } = MaxPrefixWords;

    /// <summary>
    /// The newest <see cref="DapperStore.SearchCandidates"/> items that match (in <paramref name="feedIds"/> when given),
    /// newest first, each with whether its headline matches <paramref name="headline"/> and its publication (read from
    /// the row the match was found on, after the LIMIT: for the candidates only). First the recent tier (migration 0011): the newest items' tsvectors in a table of
    /// their own, whole above the id it gives, with short posting lists — a word in one article of fifty has its 500
    /// newest there. Then, for what the tier did not hold, the search index of items below the tier, among the newest
    /// ids first (the BRIN index of migration 0010 gives the id range as a page range) — not every match, which for a
    /// phrase such as "peace talks" in a million items were thousands of rows read to keep 500. When a span holds too
    /// few matches, the search goes on further back, as far as the matches found say the candidates should be; and
    /// once that span would cost more than reading every match (the words are rare), one search over the rest ends it.
    /// Each step reads ids the steps before did not, so the candidates are those of one search over every id.
    /// </summary>
    private async Task<List<Candidate>> NewestMatchesAsync(NpgsqlConnection connection, string query, string match, string headline, long[]? feedIds, CancellationToken cancellationToken)
    {
        var (newest, since, indexed) = await IndexedQueryAsync(connection, query, match, cancellationToken);
        var found = new List<Candidate>();

        // The newest ids searched so far: those above newest - searched.
        var searched = 0L;
        if (SearchRecentFirst && since < newest)
        {
            found = (await connection.QueryAsync<Candidate>(Command(
                $"""
                SELECT m.id, m.search @@ to_tsquery('simple', @headline) AS headlined, m.published_at AS publishedat
                FROM (SELECT r.id, r.search, r.published_at FROM search_recent r WHERE r.search @@ @indexed::tsquery AND r.id > @since{Scope("r", feedIds)} ORDER BY r.id DESC LIMIT @candidates) m
                """,
                new { indexed, headline, since, feedIds, candidates = SearchCandidates },
                null,
                cancellationToken))).AsList();
            if (found.Count >= SearchCandidates || since <= 0)
            {
                return found;
            }

            searched = newest - since;
        }

        var span = searched == 0 ? FirstSearchSpan : NextSpan(searched);
        while (span < newest)
        {
            // Reading the span and its matches must cost less than reading every match. The first span, where nothing
            // says how frequent the words are, is always read.
            if (searched > 0 && span * IdCostInRows + 1.25 * SearchCandidates >= Density(searched) * newest)
            {
                break;
            }

            await MatchesAsync(newest - span, searched == 0);
            if (found.Count >= SearchCandidates)
            {
                return found;
            }

            searched = span;
            span = NextSpan(searched);
        }

        await MatchesAsync(null, false);
        return found;

        // The matches found so far give a density: the span that should hold the candidates (with a margin, and at
        // least twice the span searched), and how many matches there are in all.
        double Density(long ids) => Math.Max(found.Count, 1) / (double)ids;
        long NextSpan(long ids) => Math.Max(ids * 2, (long)Math.Ceiling(1.25 * SearchCandidates / Density(ids)));

        // The newest candidates the steps before have not read, above an id or all the way down (@from and @below are
        // bigints, as the id column: compared with another type, the index could not use it). Among the newest ids the
        // planner may walk the ids backwards and test each row (the fastest way for a frequent word: a few thousand
        // rows instead of its whole posting list); further back the matches found say the words are not frequent, and
        // "id + 0" keeps it to the search index — its estimates for words outside its statistics (several a prefix
        // stands for) made it walk 245,000 rows for "witkoff". All the way down, the ids the steps before read are
        // left out as the rows are read ("id + 0"), not as an id range: a range of nearly every id is a bitmap of every
        // page of the table ("china trade": 81 ms against 42 without it, load 17).
        async Task MatchesAsync(long? from, bool plannersChoice) => found.AddRange(await connection.QueryAsync<Candidate>(Command(
            $"""
            SELECT m.id, m.search @@ to_tsquery('simple', @headline) AS headlined, m.published_at AS publishedat
            FROM (SELECT i.id, i.search, i.published_at FROM items i WHERE i.search @@ @indexed::tsquery{(from is null ? "" : " AND i.id > @from")}{(searched == 0 ? "" : from is null ? " AND i.id + 0 <= @below" : " AND i.id <= @below")}{Scope("i", feedIds)}
                  ORDER BY i.id{(plannersChoice ? "" : " + 0")} DESC LIMIT @candidates) m
            """,
            new { indexed, headline, from, below = newest - searched, feedIds, candidates = SearchCandidates - found.Count },
            null,
            cancellationToken)));
    }

    /// <summary>
    /// The newest id, and the member's query as the search index should be asked it: the last word's prefix
    /// (<c>'says':*</c>) as the words it begins (<c>'says'</c>), read from the index's word list (migration 0010), so the
    /// GIN index looks up those words' postings instead of gathering every posting of every word the prefix begins into
    /// a bitmap first (at a million items 'president &amp; says:*' took 50–150 ms, 'president &amp; says' 6–15 ms). The
    /// same items match: the list holds every word of every item. The prefix stays when it begins more than
    /// <see cref="MostPrefixWords"/> words or none, when the parser writes its word differently, or when the same word
    /// is elsewhere in the query (ts_rewrite would replace that one too).
    /// </summary>
    internal async Task<string> IndexedQueryAsync(string query, CancellationToken cancellationToken)
    {
        await using var connection = await searchSource.OpenConnectionAsync(cancellationToken);
        return (await IndexedQueryAsync(connection, query, TsQuery(query), cancellationToken)).Indexed;
    }

    private async Task<(long Newest, long Since, string Indexed)> IndexedQueryAsync(NpgsqlConnection connection, string query, string match, CancellationToken cancellationToken)
    {
        var prefix = SearchSyntax.Parse(query).SelectMany(a => a).Where(t => t.Prefix).Select(t => t.Words[^1].ToLowerInvariant()).FirstOrDefault();
        var row = await connection.QuerySingleAsync<(long? Newest, long? Since, string Indexed)>(Command(
            """
            WITH q AS (SELECT to_tsquery('simple', @match) AS q),
            words AS (SELECT word FROM (SELECT word FROM search_words WHERE word >= @prefix COLLATE "C" ORDER BY word LIMIT @most) w
                      WHERE starts_with(word, @prefix))
            SELECT (SELECT max(id) FROM items), (SELECT since FROM search_recent_since),
                   CASE WHEN @prefix IS NOT NULL
                             AND to_tsquery('simple', @prefixTerm)::text = @prefixTerm
                             AND length(q::text) - length(replace(q::text, @quoted, '')) = length(@quoted)
                             AND (SELECT count(*) FROM words) BETWEEN 1 AND @most - 1
                        THEN ts_rewrite(q, to_tsquery('simple', @prefixTerm),
                             (SELECT string_agg(DISTINCT '''' || replace(replace(word, '\', '\\'), '''', '''''') || '''', ' | ') FROM words)::tsquery)::text
                        ELSE q::text END
            FROM q
            """,
            new { match, prefix, prefixTerm = $"'{prefix}':*", quoted = $"'{prefix}'", most = MostPrefixWords + 1 },
            null,
            cancellationToken));
        return (row.Newest ?? 0, row.Since ?? 0, row.Indexed);
    }

    /// <summary>A search's candidate: whether its headline matches (the tsvector's weight A) and its publication, which order a page.</summary>
    private sealed record Candidate(long Id, bool Headlined, long PublishedAt);

    /// <summary>A community's feeds as the array parameter <c>@feedIds</c> (one short statement, however many feeds).</summary>
    private static string Scope(string alias, long[]? feedIds) => feedIds is null ? "" : $" AND {alias}.feed_id = ANY(@feedIds)";

    /// <summary>A member's query (<see cref="SearchSyntax"/>) as a tsquery: every lexeme quoted, phrases with &lt;-&gt;, | between alternatives.</summary>
    /// <param name="weight">When given, every lexeme must carry that weight (<c>A</c>: in the headline).</param>
    internal static string TsQuery(string query, string weight = "") => string.Join(" | ", SearchSyntax.Parse(query).Select(alternative =>
        "(" + string.Join(" & ", alternative.Select(t =>
            "(" + string.Join(" <-> ", t.Words.Select((w, i) => $"'{w.ToLowerInvariant()}'" + (t.Prefix && i == t.Words.Count - 1 ? ":*" + weight : weight.Length > 0 ? ":" + weight : ""))) + ")")) + ")"));

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

        if (query.FeedIds is not null)
        {
            where.Add("EXISTS (SELECT 1 FROM items x WHERE x.story_id = q.id AND x.feed_id = ANY(@feedIds))");
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

        var sql = $"SELECT * FROM ({StorySelect}) q {"WHERE " + string.Join(" AND ", where)} ORDER BY published DESC NULLS LAST, id DESC LIMIT @limit";
        await using var connection = await OpenAsync(cancellationToken);
        var parameters = new
        {
            seenAfter = Ms(query.SeenAfter),
            publishedAfter = Ms(query.PublishedAfter),
            limit = query.Limit,
            channelId = query.NotSentToChannel,
            freshAfter = Ms(query.FreshAfter),
            freshPublishedAfter = Ms(query.FreshPublishedAfter),
            feedIds = query.FeedIds?.ToArray() ?? [],
        };
        var rows = await connection.QueryAsync<StoryRow>(Command(sql, parameters, null, cancellationToken));
        return await WithSourcesAsync(connection, rows.ToList());
    }

    // ---- Channels and outbox

    public async Task<ChannelRecord> EnsureChannelAsync(string platform, string address, string? communityId, string schedule, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<ChannelRow>(
            """
            INSERT INTO channels(platform, address, community_id, schedule, time_zone, joined_at) VALUES (@platform, @address, @communityId, @schedule, @timeZone, @joinedAt)
            ON CONFLICT(platform, address) DO UPDATE SET community_id = coalesce(excluded.community_id, channels.community_id)
            RETURNING *
            """,
            new { platform, address, communityId, schedule, timeZone, joinedAt = Ms(TimeProvider.System.GetUtcNow()) });
        return row.ToRecord();
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
                    new { row.id, reason = ICommunityStore.OrphanedFeedReason },
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
        var muted = (await connection.QueryAsync<long>("SELECT feed_id FROM community_mutes WHERE community_id = @communityId", new { communityId })).ToHashSet();
        return rows.Select(r => new CommunityFeed(r.ToRecord(), !r.community_only) { Muted = muted.Contains(r.id) }).ToList();
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
        return await connection.ExecuteAsync("DELETE FROM alerts WHERE subscription_id = @subscriptionId AND lower(phrase) = lower(@phrase)", new { subscriptionId, phrase }) > 0;
    }

    // ---- State a worker resumes from

    public async Task<bool> EnqueueDigestAsync(long channelId, string dedupKey, string payload, DateTimeOffset createdAt, IReadOnlyList<DigestEntry> stories, CancellationToken cancellationToken)
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
            new { channelId, ids = stories.Select(s => s.StoryId).ToArray(), seen = stories.Select(s => Ms(s.FreshAt) ?? 0).ToArray() },
            transaction);
        if (alreadySent || !await InsertOutboxAsync(connection, transaction, channelId, "digest", dedupKey, payload, createdAt, cancellationToken))
        {
            return false;
        }

        await RecordDigestEntriesAsync(connection, transaction, channelId, stories, "greatest", cancellationToken);
        await connection.ExecuteAsync("UPDATE channels SET last_digest_at = @at WHERE id = @channelId", new { channelId, at = Ms(createdAt) }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    // ---- Scale-out: claims, leases

    public async Task<OutboxMessage?> ClaimNextAsync(long channelId, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only the channel's oldest message still to send can be claimed, so its messages keep their order. A head another
        // worker is claiming right now is skipped (SKIP LOCKED), and the next message is not the head, so nothing is claimed.
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(new CommandDefinition(
            """
            UPDATE outbox o SET claimed_by = @claimer, claimed_until = @until,
                attempts = o.attempts + CASE WHEN o.claimed_by IS NOT NULL AND o.claimed_by <> @claimer THEN 1 ELSE 0 END,
                last_error = CASE WHEN o.claimed_by IS NOT NULL AND o.claimed_by <> @claimer THEN @abandoned ELSE o.last_error END
            FROM (SELECT h.id FROM outbox h
                  WHERE h.channel_id = @channelId AND h.sent_at IS NULL AND h.set_aside_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_id = h.channel_id AND p.sent_at IS NULL AND p.set_aside_at IS NULL AND p.id < h.id)
                  ORDER BY h.id LIMIT 1
                  FOR UPDATE SKIP LOCKED) head
            WHERE o.id = head.id AND (o.claimed_until IS NULL OR o.claimed_until <= @now OR o.claimed_by = @claimer)
              AND coalesce(o.next_attempt_at, 0) <= @now
            RETURNING o.id, o.channel_id, o.kind, o.dedup_key, o.payload, o.created_at, o.attempts, o.last_error, o.parts_sent
            """,
            new { channelId, claimer, now = Ms(now), until = Ms(now + ttl), abandoned = AbandonedClaim },
            cancellationToken: cancellationToken));
        return row?.ToMessage();
    }
}
