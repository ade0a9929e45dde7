using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using Digest.Tests.Shared;
using Digest.Worker.Jobs;
using Digest.Worker.Tests.TestSupport;
using Npgsql;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>
/// Several real <c>digest run</c> processes against one PostgreSQL, 200 feeds on a local server: every new item reaches
/// the console digest exactly once, each feed is polled once per interval, and a worker killed with kill -9 loses and
/// doubles nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ScaleOutTests(PostgresCluster cluster)
{
    private const int FeedCount = 200;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^\d+\. (?<title>.+)  \[#\d+\]$")]
    private static partial Regex DigestLine();

    private static string FeedPath(int feed) => string.Create(CultureInfo.InvariantCulture, $"/feeds/{feed}.xml");

    /// <summary>A made-up word per number.</summary>
    private static string Word(int n)
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var builder = new StringBuilder("Q");
        for (var i = 0; i < 3; i++, n /= consonants.Length * vowels.Length)
        {
            builder.Append(consonants[n % consonants.Length]).Append(vowels[n / consonants.Length % vowels.Length]);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Made-up words of one item: its title takes three, its lead the rest, so two items share only the words that
    /// make them relevant and the clusterer keeps every item a story of its own.
    /// </summary>
    private static IEnumerable<string> Words(int round, int feed) => Enumerable.Range((round * FeedCount + feed) * 30, 30).Select(Word);

    private static string Title(int round, int feed) => $"Peace plan: {string.Join(' ', Words(round, feed).Take(3))}";

    private static string Lead(int round, int feed) => $"Security guarantees for Ukraine: {string.Join(' ', Words(round, feed).Skip(3))}.";

    private static byte[] Rss(int feed, IEnumerable<(string Key, string Title, string Summary, DateTimeOffset Published)> items)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Desk {feed}</title><link>https://desk{feed}.example/</link><description>Desk {feed}</description>""");
        foreach (var (key, title, summary, published) in items)
        {
            builder.Append(CultureInfo.InvariantCulture,
                $"<item><title>{SecurityElement.Escape(title)}</title><link>https://desk{feed}.example/{key}</link><guid>desk{feed}-{key}</guid><pubDate>{published:R}</pubDate><description>{SecurityElement.Escape(summary)}</description></item>");
        }

        return Encoding.UTF8.GetBytes(builder.Append("</channel></rss>").ToString());
    }

    private static (string, string, string, DateTimeOffset) Backlog(int feed, DateTimeOffset at) =>
        ("weather", $"Weather for desk {feed}", "Light rain in the afternoon, clearing by the evening.", at.AddHours(-3));

    private static (string, string, string, DateTimeOffset) News(int round, int feed, DateTimeOffset at) =>
        ($"news-{round}", Title(round, feed), Lead(round, feed), at);

    private static IEnumerable<string> Arguments(string connectionString, IReadOnlyList<string> feedUrls)
    {
        yield return "--Storage:Provider=postgres";
        yield return $"--Storage:ConnectionString={connectionString}";
        yield return "--Feeds:AllowPrivateAddresses=true";

        // Every feed is on loopback here (no per-host limit there); the global limit would make the test wait, not the workers.
        yield return "--Feeds:GlobalConcurrency=16";
        yield return "--Digest:ConsoleSchedule=0/5 * * * * ?";
        yield return "--Digest:MaxStories=50";

        // The headlines are made-up words after "Peace plan:": a sentence model reads them all as one development.
        yield return "--Digest:SentenceEmbeddings=false";
        yield return "--Logging:LogLevel:Digest.Core.Feeds=Warning";

        // The items link to made-up hosts: fetching their article pages would only wait on DNS failures.
        yield return "--Summarization:FullText:Enabled=false";
        for (var i = 0; i < feedUrls.Count; i++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"--Feeds:Sources:{i}:Url={feedUrls[i]}");
            yield return string.Create(CultureInfo.InvariantCulture, $"--Feeds:Sources:{i}:Interval={Interval}");
        }
    }

    private static async Task<List<(string Payload, bool Sent)>> DigestsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT payload, sent_at IS NOT NULL FROM outbox WHERE kind = 'digest' ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, bool)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return rows;
    }

    private static List<string> DigestTitles(IEnumerable<WorkerProcess> workers) =>
        workers.SelectMany(w => w.Output).Select(l => DigestLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["title"].Value).ToList();

    [Fact]
    public async Task Run_TwoThenThreeWorkersOneKilled_EveryNewItemInOneDigestOnceAndEachFeedPolledOncePerInterval()
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var connectionString = await cluster.CreateDatabaseAsync("scaleout");
        await using var server = await FeedServer.StartAsync();
        var start = TimeProvider.System.GetUtcNow();
        var urls = Enumerable.Range(0, FeedCount).Select(f => server.Serve(FeedPath(f), Rss(f, [Backlog(f, start)]), "application/rss+xml")).ToList();
        var arguments = Arguments(connectionString, urls).ToList();
        var workers = new List<WorkerProcess>();
        try
        {
            workers.Add(WorkerProcess.Start(arguments));
            workers.Add(WorkerProcess.Start(arguments));

            // Every feed's backlog (an item off the topic) stored; from here on polls are counted.
            await Workers.WaitUntilAsync(async () => await CountAsync(connectionString, "SELECT count(*) FROM feeds WHERE backlog_stored") == FeedCount, "every feed's first poll", Patience, workers);
            var counted = Stopwatch.StartNew();
            var pollsBefore = server.Requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count());

            // Round 1: news on 40 feeds, while a third worker joins.
            var round1 = Enumerable.Range(0, 40).ToList();
            foreach (var feed in round1)
            {
                server.Serve(FeedPath(feed), Rss(feed, [Backlog(feed, start), News(1, feed, TimeProvider.System.GetUtcNow())]), "application/rss+xml");
            }

            var third = WorkerProcess.Start(arguments);
            workers.Add(third);
            var expected = round1.Select(f => Title(1, f)).ToList();
            await Workers.WaitUntilAsync(() => Task.FromResult(expected.All(DigestTitles(workers).Contains)), "round 1 in the digests", Patience, workers);
            await Workers.WaitUntilAsync(() => Task.FromResult(third.Errors.Any(l => l.Contains("Digest started", StringComparison.Ordinal))), "the third worker to start", Patience, workers);

            // The first worker is killed (kill -9: its claims, leases and Quartz check-ins left behind).
            await workers[0].KillAsync();
            var killedAt = counted.Elapsed;

            // Round 2, news on 40 other feeds.
            var round2 = Enumerable.Range(100, 40).ToList();
            foreach (var feed in round2)
            {
                server.Serve(FeedPath(feed), Rss(feed, [Backlog(feed, start), News(2, feed, TimeProvider.System.GetUtcNow())]), "application/rss+xml");
            }

            expected.AddRange(round2.Select(f => Title(2, f)));
            await Workers.WaitUntilAsync(() => Task.FromResult(expected.All(DigestTitles(workers).Contains)), "round 2 in the digests", Patience, workers);

            // One more digest goes by, so a duplicate would have had its chance to show. A digest with nothing new is sent
            // only to a channel that asked for the line (/digest quiet off): the console channel asks for it here.
            await Workers.ScalarAsync(connectionString, "UPDATE channels SET say_nothing_new = true");
            var digestsSoFar = await CountAsync(connectionString, "SELECT count(*) FROM outbox WHERE kind = 'digest'");
            await Workers.WaitUntilAsync(async () => await CountAsync(connectionString, "SELECT count(*) FROM outbox WHERE kind = 'digest' AND sent_at IS NOT NULL") > digestsSoFar, "one more digest", Patience, workers);
            // The feeds the killed worker held are taken over once its check-ins are missed; from then on each is polled
            // within an interval. The window runs until then (and one interval more, for a loaded machine), so "polled at
            // least once" holds for every feed whatever the pace of the rounds above.
            var takenOver = killedAt + DigestJobsSetup.CheckinInterval + DigestJobsSetup.CheckinMisfireThreshold + 2 * Interval;
            if (takenOver > counted.Elapsed)
            {
                await Task.Delay(takenOver - counted.Elapsed, Ct);
            }

            var window = counted.Elapsed;
            var polls = server.Requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count() - pollsBefore.GetValueOrDefault(g.Key));
            foreach (var worker in workers)
            {
                await worker.KillAsync();
            }

            // Each new item in exactly one digest: in the workers' output, and in the outbox.
            var printed = DigestTitles(workers);
            var digests = await DigestsAsync(connectionString);
            foreach (var title in expected)
            {
                printed.Count(t => t == title).ShouldBe(1, $"'{title}' printed in {printed.Count(t => t == title)} digests");
                digests.Count(d => d.Payload.Contains(title, StringComparison.Ordinal)).ShouldBe(1, $"'{title}' recorded in more than one digest");
            }

            digests.ShouldAllBe(d => d.Sent);
            printed.Count(t => t.StartsWith("Peace plan:", StringComparison.Ordinal)).ShouldBe(expected.Count);

            // Each feed polled once per interval, not once per worker: at most one poll per interval (and one for the recovery).
            var allowed = (int)(window / Interval) + 2;
            urls.Select((_, f) => polls.GetValueOrDefault(FeedPath(f))).ShouldAllBe(count => count >= 1 && count <= allowed);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task Run_TwoWorkersPollOutletsCarryingTheSameReport_OneStory()
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        const int outlets = 20;
        var connectionString = await cluster.CreateDatabaseAsync("samestory");
        await using var server = await FeedServer.StartAsync();
        var start = TimeProvider.System.GetUtcNow();
        var urls = Enumerable.Range(0, outlets).Select(f => server.Serve(FeedPath(f), Rss(f, [Backlog(f, start)]), "application/rss+xml")).ToList();
        var arguments = Arguments(connectionString, urls).ToList();
        var workers = new List<WorkerProcess>();
        try
        {
            workers.Add(WorkerProcess.Start(arguments));
            workers.Add(WorkerProcess.Start(arguments));
            await Workers.WaitUntilAsync(async () => await CountAsync(connectionString, "SELECT count(*) FROM feeds WHERE backlog_stored") == outlets, "every feed's first poll", Patience, workers);

            // One wire report, carried by every outlet; the two workers poll the feeds between them.
            var published = TimeProvider.System.GetUtcNow();
            foreach (var feed in Enumerable.Range(0, outlets))
            {
                var report = ("geneva", "Peace plan: US and Ukrainian delegations open talks in Geneva",
                    "Security guarantees for Ukraine top the agenda as the envoys meet in Geneva to go through the peace plan line by line.", published);
                server.Serve(FeedPath(feed), Rss(feed, [Backlog(feed, start), report]), "application/rss+xml");
            }

            await Workers.WaitUntilAsync(async () => await CountAsync(connectionString, "SELECT count(*) FROM items WHERE title LIKE 'Peace plan:%' AND story_id IS NOT NULL") == outlets, "every outlet's report in a story", Patience, workers);

            (await CountAsync(connectionString, "SELECT count(DISTINCT story_id) FROM items WHERE title LIKE 'Peace plan:%'")).ShouldBe(1);
            (await CountAsync(connectionString, "SELECT count(*) FROM stories")).ShouldBe(1);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    private static async Task<long> CountAsync(string connectionString, string sql) =>
        Convert.ToInt64(await Workers.ScalarAsync(connectionString, sql) ?? -1L, CultureInfo.InvariantCulture);
}
