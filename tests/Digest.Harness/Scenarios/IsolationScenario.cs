using System.Diagnostics;
using Digest.Harness.Infrastructure;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Harness.Scenarios;

/// <summary>
/// One chat must not wait on another: the fake Bot API answers chat A's sendMessage with 429 retry_after 20 (several
/// times in a row, as Telegram does while a flood limit lasts); meanwhile a <c>/help</c> in chat B is timed.
/// </summary>
internal static class IsolationScenario
{
    private const long ChatA = 1001;
    private const long ChatB = 1002;

    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var retryAfter = options.Int("--retry-after", 20, 20);
        var floods = options.Int("--floods", 6, 6);
        var limit = options.Seconds("--limit", 300, 150);
        var report = new Report($"isolation: chat A held by 429 retry_after {retryAfter} s ×{floods}, /help in chat B");
        using var workspace = new Workspace("isolation", options.Keep);
        workspace.WriteConfig(settings => Workspace.SetFeeds(settings, []));
        var storage = BotStorage.Sqlite(workspace.PathOf("digest.db"));
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = DigestProcess.Start("run", [.. storage.Arguments, .. TelegramBot.Arguments(telegram.BaseUrl)], workspace.Environment, options.Echo);
        if (!await TelegramBot.WaitUntilPollingAsync(telegram, bot, TimeSpan.FromMinutes(3)))
        {
            throw new InvalidOperationException("the bot never polled the fake Bot API:\n" + bot.Tail());
        }

        var quiet = TimeSpan.FromSeconds(30);
        await TelegramBot.AskAsync(telegram, ChatA, "/help", quiet);
        await TelegramBot.AskAsync(telegram, ChatB, "/help", quiet);
        await Task.Delay(1500); // past the per-chat pacing
        var (unblocked, _) = await TelegramBot.AskAsync(telegram, ChatB, "/help", quiet);

        // Chat A asks; its reply meets 429 after 429.
        telegram.Inject("sendMessage", ChatA, FakeFault.Flood(retryAfter), floods);
        var sendsToA = SendsTo(telegram, ChatA);
        var aClock = Stopwatch.StartNew();
        telegram.Say(ChatA, ChatA, "/help");
        var aHeld = await WaitAsync(() => SendsTo(telegram, ChatA) > sendsToA, TimeSpan.FromSeconds(30));
        await Task.Delay(500);

        // Chat B asks while A's reply is held.
        var (took, _) = await TelegramBot.AskAsync(telegram, ChatB, "/help", limit);
        var aAnswered = await WaitAsync(() => telegram.Messages.Count(m => m.ChatId == ChatA) >= 2, limit - aClock.Elapsed);

        report.Add("chat B /help before (nothing held)", unblocked?.TotalMilliseconds ?? double.NaN, "ms", "0");
        report.Add("chat A's reply met 429", aHeld ? "yes" : "no (the bot never sent it within 30 s)");
        if (took is { } t)
        {
            report.AtMost("chat B /help while A is held", t.TotalSeconds, "s", 1, "0.00");
        }
        else
        {
            report.Add("chat B /help while A is held", $"no answer within {limit.TotalSeconds:0} s", "≤ 1 s", false);
        }

        report.Add("chat A's reply delivered after", aAnswered ? $"{aClock.Elapsed.TotalSeconds:0.0} s" : $"not within {limit.TotalSeconds:0} s");
        report.Add("sendMessage attempts for chat A", SendsTo(telegram, ChatA) - sendsToA, "", "0");
        if (telegram.Violations.Count > 0)
        {
            report.Add("Bot API violations", string.Join("; ", telegram.Violations.Take(3)));
        }

        await bot.TerminateAsync(TimeSpan.FromSeconds(30));
        return report;
    }

    private static int SendsTo(FakeTelegramServer telegram, long chat) =>
        telegram.CallsOf("sendMessage").Count(c => c["chat_id"]?.ToString() == chat.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
