using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Digest.Storage.Sqlite;
using Digest.Web;
using Digest.Web.Public;
using Digest.Worker.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Benchmarks;

/// <summary>
/// <c>GET /</c> on the real web host of <c>digest run</c> over a SQLite database holding 100,000 stories (150,000 items
/// from 20 feeds). <see cref="Cached"/> is what a reader gets while the page's stories are fresh (15 s);
/// <see cref="Uncached"/> composes them from the store on every request. The stories end at the moment of seeding, one a
/// minute, as a running bot's do.
/// </summary>
[Config(typeof(Percentiles))]
public class HomePageBenchmarks
{
    public const int Stories = 100_000;

    private IHost host = null!;
    private HttpClient http = null!;
    private LatestStories latest = null!;

    [GlobalSetup]
    public void Setup() => (host, http, latest) = StartAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        http.Dispose();
        host.StopAsync().GetAwaiter().GetResult();
        host.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<string> Cached() => http.GetStringAsync("");

    [Benchmark]
    public async Task<string> Uncached()
    {
        await latest.ForgetAsync(CancellationToken.None);
        return await http.GetStringAsync("");
    }

    /// <summary>Per-request percentiles, each variant <paramref name="requests"/> times in turn: steadier than means on a shared machine.</summary>
    public static async Task LatencyAsync(int requests, TextWriter output)
    {
        var (host, http, latest) = await StartAsync();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                await http.GetStringAsync("");
            }

            var cached = new List<double>();
            var uncached = new List<double>();
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.StartNew();
                await http.GetStringAsync("");
                cached.Add(clock.Elapsed.TotalMilliseconds);
                await latest.ForgetAsync(CancellationToken.None);
                clock.Restart();
                await http.GetStringAsync("");
                uncached.Add(clock.Elapsed.TotalMilliseconds);
            }

            output.WriteLine($"GET / over {Stories:N0} stories, {requests} requests each (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {Environment.ProcessorCount} cores)");
            output.WriteLine($"  cached   p50 {P(cached, 50):0.0} ms   p95 {P(cached, 95):0.0} ms   p99 {P(cached, 99):0.0} ms");
            output.WriteLine($"  uncached p50 {P(uncached, 50):0.0} ms   p95 {P(uncached, 95):0.0} ms   p99 {P(uncached, 99):0.0} ms");
        }
        finally
        {
            http.Dispose();
            await host.StopAsync();
            host.Dispose();
        }
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private static async Task<(IHost Host, HttpClient Http, LatestStories Latest)> StartAsync()
    {
        var database = Path.Combine(Path.GetTempPath(), $"digest-bench-home-{Stories}.db");
        // The stories end at the moment of seeding, as a running bot's do; a database seeded more than a day ago is seeded again.
        if (!File.Exists(database) || File.GetLastWriteTimeUtc(database) < DateTime.UtcNow.AddDays(-1))
        {
            await SeedAsync(database);
        }

        var host = DigestHost.Build(HostMode.Bot, [$"--Storage:ConnectionString=Data Source={database}", "--Web:Urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Summarization:FullText:Enabled=false"], TextWriter.Null, "text");
        await host.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(host.Services.Addresses().First() + "/") };
        return (host, http, host.Services.GetRequiredService<LatestStories>());
    }

    /// <summary>100,000 stories, each with one or two items (20 feeds), written in one transaction after the bot's own migrations.</summary>
    private static async Task SeedAsync(string database)
    {
        var partial = database + ".partial";
        File.Delete(partial);
        await new SqliteStore($"Data Source={partial}").MigrateAsync(CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={partial};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            // One story a minute, the last one now: 100,000 minutes ≈ 69 days of a busy bot.
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Stories * 60_000L;
            for (var f = 1; f <= 20; f++)
            {
                await Exec(connection, transaction, $"INSERT INTO feeds(id, url, name, interval_seconds, added_at, backlog_stored) VALUES ({f}, 'https://outlet{f}.example/feed', 'Outlet {f}', 900, {start}, 1)");
            }

            using var story = connection.CreateCommand();
            story.Transaction = transaction;
            story.CommandText = "INSERT INTO stories(id, title, url, score, tags, key_lines, first_seen, last_seen) VALUES ($id, $title, $url, $score, '[\"ceasefire\"]', $lines, $at, $at)";
            using var item = connection.CreateCommand();
            item.Transaction = transaction;
            item.CommandText = "INSERT INTO items(feed_id, item_key, title, url, summary, published_at, first_seen, relevant, score, tags, reasons, story_id) VALUES ($feed, $key, $title, $url, $summary, $at, $at, 1, $score, '[]', '[]', $story)";
            for (var s = 1; s <= Stories; s++)
            {
                var at = start + s * 60_000L;
                var title = $"Envoys meet again on the peace plan, round {s}";
                story.Parameters.Clear();
                story.Parameters.AddWithValue("$id", s);
                story.Parameters.AddWithValue("$title", title);
                story.Parameters.AddWithValue("$url", $"https://outlet{s % 20 + 1}.example/news/{s}");
                story.Parameters.AddWithValue("$score", 0.5 + (s % 50) / 100.0);
                story.Parameters.AddWithValue("$lines", $"[{{\"text\":\"The delegations discussed security guarantees in round {s}.\",\"speaker\":\"Dmitry Peskov\"}}]");
                story.Parameters.AddWithValue("$at", at);
                await story.ExecuteNonQueryAsync();
                for (var copy = 0; copy < (s % 2 == 0 ? 2 : 1); copy++)
                {
                    var feed = (s + copy * 7) % 20 + 1;
                    item.Parameters.Clear();
                    item.Parameters.AddWithValue("$feed", feed);
                    item.Parameters.AddWithValue("$key", $"{s}-{copy}");
                    item.Parameters.AddWithValue("$title", title);
                    item.Parameters.AddWithValue("$url", $"https://outlet{feed}.example/news/{s}");
                    item.Parameters.AddWithValue("$summary", $"Talks on the peace plan continued in round {s}, officials said.");
                    item.Parameters.AddWithValue("$at", at + copy * 1000);
                    item.Parameters.AddWithValue("$score", 0.7);
                    item.Parameters.AddWithValue("$story", s);
                    await item.ExecuteNonQueryAsync();
                }
            }

            await transaction.CommitAsync();
        }

        File.Move(partial, database, overwrite: true);
    }

    private static async Task Exec(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95);
    }
}
