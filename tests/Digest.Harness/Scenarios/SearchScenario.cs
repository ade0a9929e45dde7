using System.Globalization;
using Digest.Harness.Infrastructure;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Harness.Scenarios;

/// <summary>
/// A database filled to 1,000,000 items (SQLite, then PostgreSQL on a throwaway cluster), then <c>digest run</c> with
/// the fake Bot API: <c>/search &lt;words&gt;</c> one at a time in a private chat, timed from the update's delivery to
/// the bot's sendMessage reaching the fake; and <c>/help</c> the same way (command acknowledgement on an idle bot).
/// </summary>
internal static class SearchScenario
{
    /// <summary>Searches of every selectivity: common words, names, two-word phrases, a prefix (the last word is one).</summary>
    private static readonly string[] Queries =
    [
        "ukraine", "peace talks", "security guarantees", "witkoff", "zelensky", "ceasefire", "trump", "gaza", "shutdown",
        "election", "hurricane", "russia sanctions", "nato", "putin", "economy", "abu dhabi", "geneva", "kremlin", "tariffs",
        "court ruling", "secur", "president says", "new york", "climate", "football", "china trade", "energy prices", "venezuela",
        "frozen assets", "health care",
    ];

    /// <summary>
    /// Private chats the requests rotate through: the bot keeps to about one message a second per chat (Telegram's
    /// limit), so one chat asking back to back would measure that pacing, not the bot.
    /// </summary>
    private static readonly long[] Chats = [.. Enumerable.Range(0, 20).Select(i => 4200L + i)];

    /// <summary>
    /// How long a chat must have been quiet before the harness asks in it again (the bot's one message a second per chat,
    /// and a margin): every request is a command in a quiet chat, which the bot must answer at once. The wait is not timed.
    /// </summary>
    private static readonly TimeSpan QuietChat = TimeSpan.FromSeconds(1.2);

    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var items = options.Int("--items", 1_000_000, 100_000);
        var queries = options.Int("--queries", 200, 60);
        var helps = options.Int("--helps", 100, 40);
        var provider = options.String("--provider", "both");
        var report = new Report($"search: /search and /help through the fake Bot API at {items:N0} items");
        var text = TextPool.Load();
        if (provider is "sqlite" or "both")
        {
            // --sqlite-file: a database of one's own, kept and reused, so a second run at 1,000,000 items skips the fill.
            using var workspace = new Workspace("search", options.Keep);
            var file = options.String("--sqlite-file", workspace.PathOf("digest.db"));
            await MeasureAsync(report, "SQLite", BotStorage.Sqlite(Path.GetFullPath(file)), workspace, items, queries, helps, text, options);
        }

        if (provider is "postgres" or "both")
        {
            using var workspace = new Workspace("search-pg", options.Keep);
            if (options.String("--postgres", "") is { Length: > 0 } own)
            {
                // A database of one's own (migrated by the run if need be), kept and reused like --sqlite-file.
                await MeasureAsync(report, "PostgreSQL", BotStorage.Postgres(own), workspace, items, queries, helps, text, options);
                return Finish(report);
            }

            var cluster = new PostgresCluster();
            await cluster.InitializeAsync();
            try
            {
                if (cluster.SkipReason is { } reason)
                {
                    report.Add("PostgreSQL", "not measured: " + reason);
                }
                else
                {
                    var storage = BotStorage.Postgres(await cluster.CreateDatabaseAsync("search"));
                    await MeasureAsync(report, "PostgreSQL", storage, workspace, items, queries, helps, text, options);
                }
            }
            finally
            {
                await cluster.DisposeAsync();
            }
        }

        return Finish(report);
    }

    private static Report Finish(Report report)
    {
        report.Note("The fill writes items straight into the database (BotDatabase.FillAsync: 1,000 items per feed, already classified, "
            + "indexed by the schema's own FTS5 triggers / generated tsvector), since ingesting a million items through the bot would take an hour. "
            + "Latency is measured one request at a time, rotating over 20 private chats, each quiet for 1.2 s before it is asked again (the bot paces itself to about one message a second per chat), from the moment the fake hands the update to the bot's pending getUpdates to the moment the bot's sendMessage reaches the fake.");
        return report;
    }

    private static async Task MeasureAsync(Report report, string name, BotStorage storage, Workspace workspace, int items, int queries, int helps, TextPool text, HarnessOptions options)
    {
        workspace.WriteConfig(settings => Workspace.SetFeeds(settings, []));

        // `status` migrates a database it finds and creates none; an empty file is an empty SQLite database.
        if (storage.SqliteFile is { } file && !File.Exists(file))
        {
            await File.WriteAllBytesAsync(file, []);
        }

        var (exit, _, errors) = await DigestProcess.RunAsync("status", storage.Arguments, workspace.Environment, TimeSpan.FromMinutes(5));
        if (exit != 0)
        {
            throw new InvalidOperationException($"digest status (to migrate the database) exited with {exit}: {errors}");
        }

        const int PerFeed = 1000;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (stored, _) = await BotDatabase.CountItemsAsync(storage);
        await BotDatabase.ForgetConversationsAsync(storage);
        var filled = (int)(stored / PerFeed);
        if (filled < Math.Max(1, items / PerFeed))
        {
            Progress.Say($"{name}: filling the database with {items:N0} items ({stored:N0} there already)");
            var said = 0L;
            await BotDatabase.FillAsync(storage, filled, Math.Max(1, items / PerFeed), PerFeed, text, done =>
            {
                if (done - said >= 100_000)
                {
                    Progress.Say($"{name}: {done:N0} items ({clock.Elapsed.TotalSeconds:0} s)");
                    said = done;
                }
            });
            (stored, _) = await BotDatabase.CountItemsAsync(storage);
        }

        Progress.Say($"{name}: {stored:N0} items in {clock.Elapsed.TotalSeconds:0} s; starting digest run");

        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = DigestProcess.Start("run", [.. storage.Arguments, .. TelegramBot.Arguments(telegram.BaseUrl), "--Summarization:FullText:Enabled=false"], workspace.Environment, options.Echo);
        if (!await TelegramBot.WaitUntilPollingAsync(telegram, bot, TimeSpan.FromMinutes(5)))
        {
            throw new InvalidOperationException($"{name}: the bot never polled the fake Bot API:\n{bot.Tail()}");
        }

        var wait = TimeSpan.FromSeconds(60);
        var answered = new Dictionary<long, System.Diagnostics.Stopwatch>();
        async Task<(TimeSpan? Took, SentMessage? Reply)> AskAsync(long chat, string text)
        {
            if (answered.TryGetValue(chat, out var since) && since.Elapsed < QuietChat)
            {
                await Task.Delay(QuietChat - since.Elapsed);
            }

            var answer = await TelegramBot.AskAsync(telegram, chat, text, wait);
            answered[chat] = System.Diagnostics.Stopwatch.StartNew();
            return answer;
        }

        foreach (var chat in Chats)
        {
            await AskAsync(chat, "/help");
        }

        for (var i = 0; i < 5; i++)
        {
            await AskAsync(Chats[i], "/search " + Queries[i]);
        }

        var search = new Latency();
        var byQuery = new Dictionary<string, List<double>>();
        var withHits = 0;
        var unanswered = 0;
        for (var i = 0; i < queries; i++)
        {
            var (took, reply) = await AskAsync(Chats[i % Chats.Length], "/search " + Queries[i % Queries.Length]);
            if (took is { } t)
            {
                search.Add(t);
                var query = Queries[i % Queries.Length];
                (byQuery.TryGetValue(query, out var times) ? times : byQuery[query] = []).Add(t.TotalMilliseconds);
                withHits += reply!.VisibleText.StartsWith("Results", StringComparison.Ordinal) ? 1 : 0;
            }
            else
            {
                unanswered++;
            }
        }

        var help = new Latency();
        for (var i = 0; i < helps; i++)
        {
            if ((await AskAsync(Chats[i % Chats.Length], "/help")).Took is { } t)
            {
                help.Add(t);
            }
            else
            {
                unanswered++;
            }
        }

        Progress.Say($"{name}: /search {search.Summary()}; /help {help.Summary()}");
        report.Add($"{name}: items in the database", stored, "", "N0");
        report.Add($"{name}: /search p50", search.Percentile(50), "ms", "0");
        report.Add($"{name}: /search p95", search.Percentile(95), "ms", "0");
        report.AtMost($"{name}: /search p99", search.Percentile(99), "ms", 50, "0");
        report.Add($"{name}: /search answers with results", $"{withHits} of {search.Count}");

        // Where the tail comes from: the queries whose slowest answer was slowest.
        var slowest = byQuery.OrderByDescending(q => q.Value.Max()).Take(3)
            .Select(q => string.Create(CultureInfo.InvariantCulture, $"'{q.Key}' max {q.Value.Max():0} ms (median {q.Value.Order().ElementAt(q.Value.Count / 2):0})"));
        report.Add($"{name}: /search slowest queries", string.Join("; ", slowest));
        report.Add($"{name}: /help p50", help.Percentile(50), "ms", "0");
        report.AtMost($"{name}: /help (acknowledgement) p99", help.Percentile(99), "ms", 100, "0");
        report.Add($"{name}: requests never answered (60 s)", unanswered, "", "0");
        report.Add($"{name}: peak RSS of digest run", bot.PeakRssMb, "MB", "0");
        report.Add($"{name}: database size", await BotDatabase.SizeMbAsync(storage), "MB", "0");
        if (telegram.Violations.Count > 0)
        {
            report.Add($"{name}: Bot API violations", string.Join("; ", telegram.Violations.Take(3)));
        }

        await bot.TerminateAsync(TimeSpan.FromSeconds(30));
    }
}
