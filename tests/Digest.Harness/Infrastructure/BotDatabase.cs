using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// The only place the harness looks inside the bot's database; everything else is black-box (what the fakes received,
/// CLI output, exit codes). Five things need it: counting items fetched but not yet processed and stories waiting for
/// their refresh (no command shows either), the database's size, forgetting an earlier run's conversation in a reused database, and filling a database with a million items for the search scenario (through the
/// bot that would take an hour). When the schema changes, this file is what to update: the column that says an item is
/// processed (<c>items.relevant</c>, null until the process stage has classified it — migration 0005 indexes exactly
/// that) and the columns the fill writes. The fill's items are processed and off the topic, so they are in no story: the
/// columns 0005 added for clustering (<c>items.cluster_seq</c>, <c>items.joined_version</c>) and the story versions stay
/// empty, as the process stage leaves them for such items.
/// </summary>
internal static class BotDatabase
{
    /// <summary>Items stored, and items stored but not yet classified (fetched, not processed).</summary>
    public static async Task<(long Items, long Unprocessed)> CountItemsAsync(BotStorage storage)
    {
        const string Sql = "SELECT count(*), count(*) - count(relevant) FROM items";
        try
        {
            if (storage.IsPostgres)
            {
                await using var connection = new NpgsqlConnection(storage.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(Sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1));
            }

            await using (var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder(storage.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString()))
            {
                await sqlite.OpenAsync();
                await using var command = sqlite.CreateCommand();
                command.CommandText = Sql;
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1));
            }
        }
        catch (Exception e) when (e is SqliteException or PostgresException or NpgsqlException)
        {
            // Not migrated yet (no items table), or the file is not there yet.
            return (0, 0);
        }
    }

    /// <summary>
    /// Stories whose members changed since their last refresh (title, key lines, alerts): <c>stories.version</c> is
    /// ahead of <c>stories.refreshed_version</c> until the refresh stage has caught up; merged stories are never refreshed.
    /// </summary>
    public static async Task<long> CountStoriesDueAsync(BotStorage storage)
    {
        const string Sql = "SELECT count(*) FROM stories WHERE version > refreshed_version AND merged_into IS NULL";
        try
        {
            if (storage.IsPostgres)
            {
                await using var connection = new NpgsqlConnection(storage.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(Sql, connection);
                return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }

            await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder(storage.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString());
            await sqlite.OpenAsync();
            await using var count = sqlite.CreateCommand();
            count.CommandText = Sql;
            return Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is SqliteException or PostgresException or NpgsqlException)
        {
            return 0;
        }
    }

    /// <summary>The database's size on disk in MB: the SQLite file with its WAL and shared-memory files, or pg_database_size.</summary>
    public static async Task<double> SizeMbAsync(BotStorage storage)
    {
        if (storage.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(storage.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }

        return new[] { "", "-wal", "-shm" }.Select(s => storage.SqliteFile + s).Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0;
    }

    /// <summary>
    /// Adds feeds <paramref name="firstFeed"/> up to <paramref name="feeds"/> (a database filled part way, or less than
    /// asked for, is topped up), each of <paramref name="itemsPerFeed"/> items each, as if polled long ago: items
    /// already classified (not relevant, so the bot has nothing to process at start) and searchable (the search index
    /// is kept by the schema's triggers / generated column, as when the bot stores items). Feeds are not due for a week.
    /// The database must be migrated first (run <c>digest status</c> once).
    /// </summary>
    public static async Task FillAsync(BotStorage storage, int firstFeed, int feeds, int itemsPerFeed, TextPool text, Action<long> progress)
    {
        var now = TimeProvider.System.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var nextMs = (now + TimeSpan.FromDays(7)).ToUnixTimeMilliseconds();
        if (storage.IsPostgres)
        {
            await FillPostgresAsync(storage, firstFeed, feeds, itemsPerFeed, text, nowMs, nextMs, progress);
            return;
        }

        await using var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;";
            await pragma.ExecuteNonQueryAsync();
        }

        for (var f = firstFeed; f < feeds; f++)
        {
            await using var transaction = connection.BeginTransaction();
            await using var feed = connection.CreateCommand();
            feed.Transaction = transaction;
            feed.CommandText = """
                INSERT INTO feeds(url, name, interval_seconds, last_polled_at, last_success_at, next_poll_at, backlog_stored, added_at)
                VALUES ($url, $name, 604800, $now, $now, $next, 1, $now) RETURNING id
                """;
            feed.Parameters.AddWithValue("$url", FillFeedUrl(f));
            feed.Parameters.AddWithValue("$name", $"Archive {f}");
            feed.Parameters.AddWithValue("$now", nowMs);
            feed.Parameters.AddWithValue("$next", nextMs);
            var feedId = (long)(await feed.ExecuteScalarAsync())!;

            await using var item = connection.CreateCommand();
            item.Transaction = transaction;
            item.CommandText = """
                INSERT INTO items(feed_id, item_key, title, url, summary, author, published_at, first_seen, is_backlog, relevant, score, tags, reasons)
                VALUES ($feed, $key, $title, $url, $summary, NULL, $published, $seen, 1, 0, 0.0, '[]', '[]')
                """;
            var pFeed = item.Parameters.Add("$feed", SqliteType.Integer);
            var pKey = item.Parameters.Add("$key", SqliteType.Text);
            var pTitle = item.Parameters.Add("$title", SqliteType.Text);
            var pUrl = item.Parameters.Add("$url", SqliteType.Text);
            var pSummary = item.Parameters.Add("$summary", SqliteType.Text);
            var pPublished = item.Parameters.Add("$published", SqliteType.Integer);
            var pSeen = item.Parameters.Add("$seen", SqliteType.Integer);
            item.Prepare();
            for (var i = 0; i < itemsPerFeed; i++)
            {
                var n = (long)f * itemsPerFeed + i;
                var (title, summary) = text.Item(n);
                pFeed.Value = feedId;
                pKey.Value = $"fill-{n}";
                pTitle.Value = title;
                pUrl.Value = $"https://archive.example/{f}/{n}";
                pSummary.Value = summary;
                pPublished.Value = nowMs - (n % 8760) * 3_600_000L;
                pSeen.Value = nowMs;
                await item.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
            progress((long)(f + 1) * itemsPerFeed);
        }

        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync();
    }

    private static async Task FillPostgresAsync(BotStorage storage, int firstFeed, int feeds, int itemsPerFeed, TextPool text, long nowMs, long nextMs, Action<long> progress)
    {
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        for (var f = firstFeed; f < feeds; f++)
        {
            long feedId;
            await using (var feed = new NpgsqlCommand(
                """
                INSERT INTO feeds(url, name, interval_seconds, last_polled_at, last_success_at, next_poll_at, backlog_stored, added_at)
                VALUES (@url, @name, 604800, @now, @now, @next, true, @now) RETURNING id
                """, connection))
            {
                feed.Parameters.AddWithValue("url", FillFeedUrl(f));
                feed.Parameters.AddWithValue("name", $"Archive {f}");
                feed.Parameters.AddWithValue("now", nowMs);
                feed.Parameters.AddWithValue("next", nextMs);
                feedId = (long)(await feed.ExecuteScalarAsync())!;
            }

            await using (var import = await connection.BeginBinaryImportAsync(
                "COPY items (feed_id, item_key, title, url, summary, published_at, first_seen, is_backlog, relevant, score, tags, reasons) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < itemsPerFeed; i++)
                {
                    var n = (long)f * itemsPerFeed + i;
                    var (title, summary) = text.Item(n);
                    await import.StartRowAsync();
                    await import.WriteAsync(feedId, NpgsqlDbType.Bigint);
                    await import.WriteAsync($"fill-{n}", NpgsqlDbType.Text);
                    await import.WriteAsync(title, NpgsqlDbType.Text);
                    await import.WriteAsync($"https://archive.example/{f}/{n}", NpgsqlDbType.Text);
                    await import.WriteAsync(summary, NpgsqlDbType.Text);
                    await import.WriteAsync(nowMs - (n % 8760) * 3_600_000L, NpgsqlDbType.Bigint);
                    await import.WriteAsync(nowMs, NpgsqlDbType.Bigint);
                    await import.WriteAsync(true, NpgsqlDbType.Boolean);
                    await import.WriteAsync(false, NpgsqlDbType.Boolean);
                    await import.WriteAsync(0.0, NpgsqlDbType.Double);
                    await import.WriteAsync("[]", NpgsqlDbType.Text);
                    await import.WriteAsync("[]", NpgsqlDbType.Text);
                }

                await import.CompleteAsync();
            }

            progress((long)(f + 1) * itemsPerFeed);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE items", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Forgets an earlier run's conversation in a reused database (<c>search --sqlite-file/--postgres</c>): the Telegram
    /// offset, the inbox and the outbox. A new fake Bot API numbers its updates from 1 again, which the bot would take for
    /// updates it has handled.
    /// </summary>
    public static async Task ForgetConversationsAsync(BotStorage storage)
    {
        const string Sql = "DELETE FROM outbox; DELETE FROM inbox; DELETE FROM bot_state WHERE key LIKE 'telegram:%'";
        if (storage.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(storage.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Sql, connection);
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder(storage.ConnectionString) { Pooling = false, DefaultTimeout = 30 }.ToString());
        await sqlite.OpenAsync();
        await using var delete = sqlite.CreateCommand();
        delete.CommandText = Sql;
        await delete.ExecuteNonQueryAsync();
    }

    /// <summary>A fill feed's URL: a port nothing listens on; the feed is not due for a week, so the bot never asks.</summary>
    private static string FillFeedUrl(int f) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:9/archive/{f}.xml");
}
