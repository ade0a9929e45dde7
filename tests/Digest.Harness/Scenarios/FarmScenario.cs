using System.Diagnostics;
using Digest.Harness.Infrastructure;

namespace Digest.Harness.Scenarios;

/// <summary>
/// <c>digest run</c> against a loopback feed farm of N feeds (default 10,000 × 23 items = 230,000 unique items). The
/// first cycle is done when every feed has been read and every item the farm published is stored and processed; then
/// <c>--changed</c>% of the feeds gain an item, and the second cycle (every feed asked again on its interval, mostly
/// 304) is timed from its first request until every feed was asked again and the new items are processed.
/// </summary>
internal static class FarmScenario
{
    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var feeds = options.Int("--feeds", 10_000, 300);
        var perFeed = options.Int("--items", 23, 23);
        var interval = options.Seconds("--interval", 600, 120);
        var changed = options.Double("--changed", 1, 5);
        var cap = options.Seconds("--timeout", 1200, 300);
        var report = new Report($"farm: digest run, {feeds:N0} loopback feeds × {perFeed} items, interval {interval.TotalSeconds:0} s");
        using var workspace = new Workspace("farm", options.Keep);
        var text = TextPool.Load();
        await using var farm = await FeedFarm.StartAsync(feeds, perFeed, text);
        var storage = BotStorage.Sqlite(workspace.PathOf("digest.db"));
        workspace.WriteConfig(settings => Workspace.SetFeeds(settings, Enumerable.Range(0, feeds).Select(farm.FeedUrl), interval));

        Progress.Say($"farm at {farm.BaseUrl}: {feeds:N0} feeds, {farm.ItemsPublished:N0} items; starting digest run");
        var start = farm.Clock.Elapsed;
        await using var bot = DigestProcess.Start("run", [.. storage.Arguments, "--Feeds:AllowPrivateAddresses=true", "--Summarization:FullText:Enabled=false"], workspace.Environment, options.Echo);

        // First cycle.
        var first = await WaitForCycleAsync(farm, bot, storage, 1, start + cap);
        var rssAfterFirst = bot.RssMb;
        var storiesDue = await BotDatabase.CountStoriesDueAsync(storage);
        // The refresh stage (titles, key lines, alerts) goes on after the items are processed: watched while the run goes on.
        using var stopWatching = new CancellationTokenSource();
        var refreshed = first.Done is null ? Task.FromResult<TimeSpan?>(null) : WhenStoriesRefreshedAsync(farm, storage, stopWatching.Token);
        report.Add("items published by the farm", farm.ItemsPublished, "", "N0");
        if (first.Done is { } done)
        {
            report.AtMost("first cycle (all feeds read, all items stored and processed)", (done - start).TotalSeconds, "s", 600, "0");
            report.Add("first cycle: items/s", first.Items / (done - start).TotalSeconds, "items/s", "N0");
        }
        else
        {
            report.Add("first cycle", $"not done after {cap.TotalSeconds:0} s: {first.FeedsRead:N0}/{feeds:N0} feeds read, {first.Items:N0} items stored, {first.Unprocessed:N0} unprocessed",
                "≤ 600 s", false);
            report.Add("first cycle: items/s so far", first.Items / cap.TotalSeconds, "items/s", "N0");
        }

        report.Add("stories waiting for their refresh (title, key lines) at the end of the first cycle", storiesDue, "", "N0");
        report.Add("CPU time in the first cycle", bot.CpuTime.TotalSeconds, "s", "0");
        report.AtMost("RSS at the end of the first cycle", rssAfterFirst, "MB", 300, "0");

        // Second cycle: mostly 304.
        if (first.Done is { } firstDone && !bot.HasExited)
        {
            var random = new Random(10);
            var toChange = (int)Math.Round(feeds * changed / 100);
            foreach (var feed in Enumerable.Range(0, feeds).OrderBy(_ => random.Next()).Take(toChange))
            {
                farm.AddItems(feed);
            }

            var beganBefore = farm.FirstRequestOfRound.ContainsKey(2);
            Progress.Say($"{toChange} feeds gained an item; waiting for the second cycle (due {interval.TotalSeconds:0} s after the start)");
            var second = await WaitForCycleAsync(farm, bot, storage, 2, farm.Clock.Elapsed + interval + cap);
            // When the first cycle outlasted the interval, the second is timed from the end of the first.
            var began = TimeSpan.FromTicks(Math.Max(farm.FirstRequestOfRound.GetValueOrDefault(2).Ticks, firstDone.Ticks));
            if (second.Done is { } secondDone)
            {
                report.AtMost($"second cycle ({toChange} feeds changed, the rest 304), from its first request", (secondDone - began).TotalSeconds, "s", 120, "0");
            }
            else
            {
                report.Add("second cycle", $"not done: {second.FeedsRead:N0}/{feeds:N0} feeds asked twice", "≤ 120 s", false);
            }

            if (beganBefore)
            {
                report.Note("The second cycle began before the first ended (the first took longer than the interval): it is timed from the end of the first.");
            }

            report.Add("responses 200 / 304", $"{farm.FullResponses:N0} / {farm.NotModifiedResponses:N0}");
        }

        await stopWatching.CancelAsync();
        report.Add("every story of the first cycle refreshed", await refreshed is { } at ? $"{(at - start).TotalSeconds:0} s" : "not within the run");
        report.AtMost("peak RSS (VmHWM) over the run", bot.PeakRssMb, "MB", 300, "0");
        report.Add("CPU time over the run", bot.CpuTime.TotalSeconds, "s", "0");
        report.Add("database size", await BotDatabase.SizeMbAsync(storage), "MB", "0.0");
        if (bot.HasExited)
        {
            report.Add("digest run exited", $"exit {bot.ExitCode}: {bot.Tail(3)}");
        }

        var (exit, took) = await bot.TerminateAsync(TimeSpan.FromSeconds(30));
        report.Add("shutdown after SIGTERM", exit is null ? $"still running after {took.TotalSeconds:0} s (killed)" : $"exit {exit} in {took.TotalSeconds:0.0} s");
        report.Note("A cycle is done when the farm has answered every feed (200 or 304) that many times and the database holds every item the farm "
            + "published, none of them unprocessed (BotDatabase.CountItemsAsync, polled every second). Full-text fetching is off; feeds are loopback "
            + "(Feeds:AllowPrivateAddresses=true), configured through Feeds:Sources.");
        return report;
    }

    /// <summary>When no story waits for its refresh any more (polled every second), or null when stopped first.</summary>
    private static async Task<TimeSpan?> WhenStoriesRefreshedAsync(FeedFarm farm, BotStorage storage, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await BotDatabase.CountStoriesDueAsync(storage) == 0)
            {
                return farm.Clock.Elapsed;
            }

            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }

        return null;
    }

    private sealed record Cycle(TimeSpan? Done, int FeedsRead, long Items, long Unprocessed);

    private static async Task<Cycle> WaitForCycleAsync(FeedFarm farm, DigestProcess bot, BotStorage storage, int round, TimeSpan until)
    {
        var lastSay = Stopwatch.StartNew();
        while (true)
        {
            var feedsRead = farm.FeedsRequestedAtLeast(round);
            var (items, unprocessed) = await BotDatabase.CountItemsAsync(storage);
            if (feedsRead == farm.Feeds && items >= farm.ItemsPublished && unprocessed == 0)
            {
                Progress.Say($"cycle {round} done at {farm.Clock.Elapsed.TotalSeconds:0} s: {items:N0} items, RSS {bot.RssMb:0} MB");
                return new Cycle(farm.Clock.Elapsed, feedsRead, items, unprocessed);
            }

            if (farm.Clock.Elapsed > until || bot.HasExited)
            {
                return new Cycle(null, feedsRead, items, unprocessed);
            }

            if (lastSay.Elapsed > TimeSpan.FromSeconds(30))
            {
                Progress.Say($"cycle {round}: {feedsRead:N0}/{farm.Feeds:N0} feeds, {items:N0}/{farm.ItemsPublished:N0} items stored, {unprocessed:N0} unprocessed, {await BotDatabase.CountStoriesDueAsync(storage):N0} stories due, RSS {bot.RssMb:0} MB, CPU {bot.CpuTime.TotalSeconds:0} s");
                lastSay.Restart();
            }

            await Task.Delay(1000);
        }
    }
}
