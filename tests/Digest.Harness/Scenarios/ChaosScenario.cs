using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Digest.Discord.Tests.TestSupport;
using Digest.Harness.Infrastructure;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Harness.Scenarios;

/// <summary>
/// kill -9 <c>digest run</c> N times while a feed adds an on-topic item every 3 s, three Telegram subscribers have an
/// alert phrase, and three channels get a digest every 20 s (a Telegram group, a webhook-bound Discord channel, the
/// console). Kills take turns: at a random moment; aimed at a Telegram send in flight; aimed at a Discord send in flight
/// (a proxy in front of each fake forwards the send, so the platform has it, and holds the answer back until the kill).
/// The bot restarts after each kill. Everything is counted black-box from what the fakes and the console received; only
/// the count of unprocessed items reads the database (<see cref="BotDatabase.CountItemsAsync"/>).
/// </summary>
internal static partial class ChaosScenario
{
    private const long Group = -100500;
    private const string Phrase = "peace plan";
    private static readonly long[] Subscribers = [501, 502, 503];
    private static readonly string[] Speakers = ["Witkoff", "Umerov", "Zelensky", "Peskov", "Kushner", "Dmitriev", "Yermak", "Rubio"];
    private static readonly string[] Topics = ["security guarantees", "a ceasefire", "territorial questions", "frozen Russian assets", "a prisoner exchange", "elections in Ukraine", "Europe's role", "an energy truce"];

    /// <summary>Item j's title carries its code, H0000…H9999: every output (alert, digest line, embed) that names the story shows it.</summary>
    internal static (string Title, string Summary) Item(int j)
    {
        var speaker = Speakers[j % Speakers.Length];
        var topic = Topics[j / Speakers.Length % Topics.Length];
        return ($"{speaker} says Ukraine {Phrase} talks with Russia made progress on {topic} (ref H{j:0000})",
            $"{speaker} told reporters that negotiators from Ukraine, Russia and the United States discussed the 20-point {Phrase}, including {topic}, "
            + "and would meet again next week. The Kremlin said Moscow was studying the proposals to end the war.");
    }

    /// <summary>One kill; <paramref name="TelegramSent"/> and <paramref name="DiscordRequests"/> are how many messages and requests the fakes had by then.</summary>
    private sealed record Kill(int Number, string Mode, bool HitSend, TimeSpan After, int TelegramSent, int DiscordRequests);

    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var kills = options.Int("--kills", 30, 6);
        var itemEvery = options.Seconds("--item-every", 3, 3);
        var settle = options.Seconds("--settle", 60, 60);

        // The Discord channel is bound to a webhook either way; "webhook+bot" also gives the chaos runs the bot token (a
        // webhook post whose answer was lost can then be looked for in the channel before it is posted again).
        var discordMode = options.String("--discord", "webhook");
        if (discordMode is not ("webhook" or "webhook+bot"))
        {
            throw new ArgumentException($"--discord: '{discordMode}' is not webhook or webhook+bot");
        }

        // Extra settings for the bot (--set Telegram:SendsInFlight=32), to compare a setting's effect in the same harness.
        var extra = options.BotSettings();
        var report = new Report($"chaos: kill -9 ×{kills} (random, aimed at Telegram sends, aimed at Discord sends), an on-topic item every {itemEvery.TotalSeconds:0} s; Discord: {discordMode}{(extra.Length > 0 ? "; " + string.Join(" ", extra) : "")}");
        using var workspace = new Workspace("chaos", options.Keep);
        var storage = BotStorage.Sqlite(workspace.PathOf("digest.db"));

        // Items 3 days apart in publication time: each is its own story (stories span at most 48 hours), so every item
        // is one alert per subscriber and one line in each channel's digests.
        var spacing = TimeSpan.FromDays(3);
        var epoch = TimeProvider.System.GetUtcNow() - spacing * 3000;
        // The feed shows its latest 100 items: five minutes of them, so no item scrolls off while the bot is down.
        await using var farm = await FeedFarm.StartAsync(1, 3, TextPool.Load(), (_, j) => Item(j), epoch, spacing, window: 100);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var telegramProxy = await HoldingProxy.StartAsync(telegram.BaseUrl, r => r.Path.Value is { } p && (p.EndsWith("/sendMessage", StringComparison.Ordinal) || p.EndsWith("/editMessageText", StringComparison.Ordinal) || p.EndsWith("/sendDocument", StringComparison.Ordinal)));
        var discord = await FakeDiscord.StartAsync();
        await using var discordProxy = await HoldingProxy.StartAsync(discord.BaseUrl, r => r.Method == "POST" && r.Path.Value is { } p && (p.Contains("/webhooks/", StringComparison.Ordinal) || p.EndsWith("/messages", StringComparison.Ordinal)));
        workspace.WriteConfig(settings =>
        {
            Workspace.SetFeeds(settings, [farm.FeedUrl(0)], TimeSpan.FromSeconds(10));
            settings["Digest"]!["ConsoleSchedule"] = "0/20 * * * * ?";
            settings["Digest"]!["MaxStories"] = 40;
        });
        string[] common =
        [
            .. storage.Arguments, .. TelegramBot.Arguments(telegramProxy.BaseUrl),
            "--Feeds:AllowPrivateAddresses=true", "--Summarization:FullText:Enabled=false",
            "--Telegram:DefaultSchedule=5/20 * * * * ?", "--Discord:DefaultSchedule=10/20 * * * * ?",
            $"--Discord:ApiBaseUrl={discordProxy.BaseUrl}/api/v10",
            .. extra,
        ];
        string[] chaosArguments = discordMode == "webhook+bot" ? [.. common, $"--Discord:BotToken={FakeDiscord.BotToken}"] : common;

        try
        {
            await SetUpAsync(telegram, discord, farm, workspace, common, options);
        }
        catch
        {
            await DiscordBinding.DisposeQuietlyAsync(discord);
            throw;
        }

        // The chaos: items keep coming, the bot is killed and restarted.
        var telegramMark = telegram.Messages.Count;
        var discordMark = discord.Requests.Count;
        var firstCode = (int)farm.ItemsPublished;
        using var stopAdding = new CancellationTokenSource();
        var adding = AddItemsAsync(farm, itemEvery, stopAdding.Token);
        var random = new Random(30);
        var processes = new List<DigestProcess>();
        var log = new List<Kill>();
        var clock = Stopwatch.StartNew();
        try
        {
            for (var k = 0; k < kills; k++)
            {
                var bot = DigestProcess.Start("run", chaosArguments, workspace.Environment, options.Echo);
                processes.Add(bot);
                var mode = (k % 3) switch { 0 => "random", 1 => "aimed at a Telegram send", _ => "aimed at a Discord send" };
                bool hit;
                if (k % 3 == 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(3 + random.NextDouble() * 12));
                    hit = telegramProxy.SendsInFlight + discordProxy.SendsInFlight > 0;
                }
                else
                {
                    var proxy = k % 3 == 1 ? telegramProxy : discordProxy;
                    var held = proxy.ArmAsync();
                    hit = await Task.WhenAny(held, Task.Delay(TimeSpan.FromSeconds(45))) == held;
                }

                await bot.KillAsync();
                telegramProxy.Release();
                discordProxy.Release();
                log.Add(new Kill(k + 1, mode, hit, bot.Elapsed, telegram.Messages.Count, discord.Requests.Count));
                Progress.Say($"kill {k + 1}/{kills} ({mode}{(hit ? ", a send in flight" : "")}) after {bot.Elapsed.TotalSeconds:0.0} s; {farm.ItemsPublished - firstCode} items so far");
            }

            // The last restart: items stop, and the bot has a minute to catch up.
            var last = DigestProcess.Start("run", chaosArguments, workspace.Environment, options.Echo);
            processes.Add(last);
            await stopAdding.CancelAsync();
            await adding;
            var lastCode = (int)farm.ItemsPublished - 1;
            Progress.Say($"last restart after {clock.Elapsed.TotalSeconds:0} s: {lastCode - firstCode + 1} items published during the chaos; waiting {settle.TotalSeconds:0} s");
            await Task.Delay(settle);
            var (stored, unprocessed) = await BotDatabase.CountItemsAsync(storage);
            var upAfterSettle = !last.HasExited;
            await Task.Delay(TimeSpan.FromSeconds(45)); // two more digest slots for the last items
            await last.TerminateAsync(TimeSpan.FromSeconds(30));

            Analyse(report, telegram, discord, processes, log, firstCode, lastCode, telegramMark, discordMark, stored, unprocessed, upAfterSettle, farm.ItemsPublished);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            await DiscordBinding.DisposeQuietlyAsync(discord);
        }

        return report;
    }

    /// <summary>
    /// One calm run first: the Telegram group and the subscribers' alert phrases, the Discord channel bound to a webhook
    /// (a /webhook bind through the fake gateway, which needs a bot token; the chaos runs without one, as a webhook-only
    /// Discord setup does), and the feed's first poll (its backlog, which never alerts).
    /// </summary>
    private static async Task SetUpAsync(FakeTelegramServer telegram, FakeDiscord discord, FeedFarm farm, Workspace workspace, string[] common, HarnessOptions options)
    {
        Progress.Say("set-up run: Telegram group, alert subscribers, Discord webhook binding, the feed's backlog");
        await using var setup = DigestProcess.Start("run", [.. common, $"--Discord:BotToken={FakeDiscord.BotToken}"], workspace.Environment, options.Echo);
        if (!await TelegramBot.WaitUntilPollingAsync(telegram, setup, TimeSpan.FromMinutes(3)))
        {
            throw new InvalidOperationException("set-up: the bot never polled the fake Bot API:\n" + setup.Tail());
        }

        telegram.Membership(Group, 777, "member");
        var answer = TimeSpan.FromSeconds(60);
        await TelegramBot.AskAsync(telegram, Group, "/help", answer);
        foreach (var subscriber in Subscribers)
        {
            var (took, reply) = await TelegramBot.AskAsync(telegram, subscriber, $"/alerts add {Phrase}", answer);
            if (took is null)
            {
                throw new InvalidOperationException($"set-up: no answer to /alerts add in chat {subscriber}:\n{setup.Tail()}");
            }
        }

        await DiscordBinding.BindWebhookAsync(discord, setup);

        var backlog = Stopwatch.StartNew();
        while (farm.FullResponses == 0 && backlog.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        await setup.TerminateAsync(TimeSpan.FromSeconds(30));
    }

    internal static async Task AddItemsAsync(FeedFarm farm, TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                farm.AddItems(0);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static void Analyse(Report report, FakeTelegramServer telegram, FakeDiscord discord, List<DigestProcess> processes, List<Kill> kills,
        int firstCode, int lastCode, int telegramMark, int discordMark, long stored, long unprocessed, bool upAfterSettle, long published)
    {
        var codes = Enumerable.Range(firstCode, lastCode - firstCode + 1).ToHashSet();
        var all = telegram.Messages.ToList();
        var sentAt = Enumerable.Range(telegramMark, all.Count - telegramMark).Where(i => all[i].Method == "sendMessage").ToList();
        var sent = sentAt.Select(i => all[i]).ToList();

        // Discord: one message per nonce when the post asked Discord to enforce it, as Discord does.
        var requests = discord.Requests.ToList();
        var postAt = Enumerable.Range(discordMark, requests.Count - discordMark)
            .Where(i => requests[i] is { Method: "POST", Body: not null } r && r.Path.Contains("/webhooks/", StringComparison.Ordinal)).ToList();
        var posts = postAt.Select(i => requests[i]).ToList();
        var discordMessages = posts
            .GroupBy(p => p.Json.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True && p.Json.TryGetProperty("nonce", out var n) ? "nonce:" + n.ToString() : "post:" + posts.IndexOf(p))
            .Select(g => WithoutNonce(g.First().Json))
            .ToList();

        // Console digests: each "Digest — " block of the chaos runs' standard output.
        var consoleDigests = new List<string>();
        foreach (var process in processes)
        {
            foreach (var line in process.Output.Select(l => l.Text))
            {
                if (line.StartsWith("Digest — ", StringComparison.Ordinal) || consoleDigests.Count == 0)
                {
                    consoleDigests.Add("");
                }

                consoleDigests[^1] += line + "\n";
            }
        }

        var alerts = Subscribers.ToDictionary(s => s, s => Codes(sent.Where(m => m.ChatId == s).Select(m => m.VisibleText)));
        var groupDigests = Codes(sent.Where(m => m.ChatId == Group).Select(m => m.VisibleText));
        var discordDigests = Codes(discordMessages);
        var console = Codes(consoleDigests);
        var seen = alerts.Values.Concat([groupDigests, discordDigests, console]).SelectMany(c => c.Keys).Where(codes.Contains).ToHashSet();

        var hits = kills.Count(k => k.HitSend);
        report.Add("kills", $"{kills.Count}: {kills.Count(k => k.Mode == "random")} random ({kills.Count(k => k.Mode == "random" && k.HitSend)} with a send in flight), "
            + $"{kills.Count(k => k.Mode.Contains("Telegram", StringComparison.Ordinal))} aimed at Telegram sends ({kills.Count(k => k.Mode.Contains("Telegram", StringComparison.Ordinal) && k.HitSend)} hit one), "
            + $"{kills.Count(k => k.Mode.Contains("Discord", StringComparison.Ordinal))} aimed at Discord sends ({kills.Count(k => k.Mode.Contains("Discord", StringComparison.Ordinal) && k.HitSend)} hit one)");
        report.Add("on-topic items published during the chaos", codes.Count, "", "0");
        report.Add("of them seen in any output (alert or digest)", seen.Count, "", "0");
        report.AtMost("items fetched but unprocessed 60 s after the last restart", unprocessed, "", 0, "0");
        report.Add("items stored / published by the feed", $"{stored} / {published}");
        report.Add("digest run up 60 s after the last restart", upAfterSettle ? "yes" : "no");

        var expectedAlerts = codes.Count * Subscribers.Length;
        var alertsLost = alerts.Values.Sum(a => codes.Count(c => !a.ContainsKey(c)));
        var alertsDoubled = alerts.Values.Sum(a => a.Where(p => codes.Contains(p.Key)).Sum(p => p.Value - 1));
        report.AtMost($"alerts lost (of {expectedAlerts}: {Subscribers.Length} subscribers × items)", alertsLost, "", 0, "0");
        report.Add("alerts doubled", alertsDoubled, "", "0");
        report.Add("items in no output at all (every alert and digest line lost)", codes.Count - seen.Count, "", "0");
        foreach (var (name, digests) in new[] { ("Telegram group", groupDigests), ("Discord (webhook)", discordDigests), ("console", console) })
        {
            var lost = codes.Count(c => !digests.ContainsKey(c));
            var doubled = digests.Where(p => codes.Contains(p.Key)).Sum(p => p.Value - 1);
            report.Add($"digest lines lost / doubled: {name}", $"{lost} / {doubled}");
        }

        var telegramDuplicates = sent.Where(m => !m.VisibleText.StartsWith("Nothing new", StringComparison.Ordinal))
            .GroupBy(m => (m.ChatId, m.VisibleText)).Sum(g => g.Count() - 1);
        var discordDuplicates = discordMessages.GroupBy(m => m).Sum(g => g.Count() - 1);
        report.AtMost("duplicate Discord posts", discordDuplicates, "", 0, "0");
        report.Add("duplicate Telegram messages", telegramDuplicates, "", "0");
        report.AtMost($"duplicate Telegram messages per kill that hit a send ({hits} kills)", hits == 0 ? telegramDuplicates : (double)telegramDuplicates / hits, "", 1, "0.00");
        // Each duplicate, by the run that sent its first copy: the kill that ended that run is the one whose send was doubled.
        string RunOf(int index, Func<Kill, int> mark) => kills.FirstOrDefault(k => index < mark(k)) is { } k ? $"kill {k.Number} ({k.Mode}{(k.HitSend ? ", a send in flight" : ", no send in flight")})" : "the last run (no kill)";
        var duplicates = sentAt.Where(i => !all[i].VisibleText.StartsWith("Nothing new", StringComparison.Ordinal))
            .GroupBy(i => (all[i].ChatId, all[i].VisibleText)).Where(g => g.Count() > 1)
            .Select(g => $"{RunOf(g.First(), k => k.TelegramSent)}: Telegram {(Subscribers.Contains(g.Key.ChatId) ? "alert to" : "digest part in")} chat {g.Key.ChatId} ({Describe(g.Key.VisibleText)}) ×{g.Count()}")
            .Concat(postAt.GroupBy(i => WithoutNonce(requests[i].Json)).Where(g => g.Count() > 1)
                .Select(g => $"{RunOf(g.First(), k => k.DiscordRequests)}: Discord webhook post ({Describe(g.Key)}) ×{g.Count()}"))
            .ToList();
        if (duplicates.Count > 0)
        {
            report.Note("Duplicates, by the run that sent the first copy: " + string.Join("; ", duplicates) + ".");
        }

        report.Add("Telegram messages / Discord posts / console digests in the chaos", $"{sent.Count} / {posts.Count} / {consoleDigests.Count}");
        var violations = telegram.Violations.Concat(discord.Violations).ToList();
        if (violations.Count > 0)
        {
            report.Add("requests the fakes refused as invalid", $"{violations.Count}: {string.Join("; ", violations.Take(2))}");
        }

        report.Note("Each item's title carries a code (H0042) that every alert, digest line and embed naming its story shows. "
            + "Every item is on-topic and its own story (the shipped classifier accepts each; their publication dates are 3 days apart, beyond a story's 48 hours), "
            + "so each is owed one alert per subscriber and one line in each channel's digests. "
            + "A doubled digest line is a story that reached the same channel in two digests (or in a re-sent part). Discord posts sent with the same nonce and enforce_nonce count once, as Discord creates one message for them. "
            + "'Nothing new' lines are not counted as duplicates.");
    }

    /// <summary>A duplicate in a few words: the item codes it names.</summary>
    private static string Describe(string text)
    {
        var codes = CodePattern().Matches(text).Select(m => m.Value).Distinct().ToList();
        return codes.Count == 0 ? "no item code" : codes.Count <= 3 ? string.Join(", ", codes) : $"{codes[0]} … {codes[^1]}, {codes.Count} items";
    }

    /// <summary>How often each item code appears across the messages.</summary>
    private static Dictionary<int, int> Codes(IEnumerable<string> messages)
    {
        var counts = new Dictionary<int, int>();
        foreach (var message in messages)
        {
            foreach (var code in CodePattern().Matches(message).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct())
            {
                counts[code] = counts.GetValueOrDefault(code) + 1;
            }
        }

        return counts;
    }

    private static string WithoutNonce(JsonElement body)
    {
        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        node.Remove("nonce");
        node.Remove("enforce_nonce");
        return node.ToJsonString();
    }

    [GeneratedRegex(@"\bH(\d{4})\b")]
    private static partial Regex CodePattern();
}
