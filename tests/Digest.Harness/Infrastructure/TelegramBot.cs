using System.Diagnostics;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Harness.Infrastructure;

/// <summary>Talks to a <c>digest run</c> through the fake Bot API: a user writes, the harness times the bot's answer.</summary>
internal static class TelegramBot
{
    /// <summary>The configuration that points a digest process at the fake Bot API (short long polls, so a restart polls at once).</summary>
    public static IEnumerable<string> Arguments(string apiBaseUrl) =>
        [$"--Telegram:BotToken={FakeTelegramServer.Token}", $"--Telegram:ApiBaseUrl={apiBaseUrl}", "--Telegram:PollTimeout=00:00:10"];

    /// <summary>Waits until the bot long-polls the fake (it is up and listening).</summary>
    public static async Task<bool> WaitUntilPollingAsync(FakeTelegramServer telegram, DigestProcess bot, TimeSpan within, int pollsBefore = 0)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within && !bot.HasExited)
        {
            if (telegram.CallCount("getUpdates") > pollsBefore)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>
    /// A user in <paramref name="chat"/> sends <paramref name="text"/>; returns how long until the bot's next message in
    /// that chat arrived at the fake (null: none within <paramref name="within"/>), and that message.
    /// </summary>
    public static async Task<(TimeSpan? Took, SentMessage? Reply)> AskAsync(FakeTelegramServer telegram, long chat, string text, TimeSpan within)
    {
        var before = telegram.Messages.Where(m => m.ChatId == chat).Select(m => m.MessageId).DefaultIfEmpty(0).Max();
        var clock = Stopwatch.StartNew();
        telegram.Say(chat, chat > 0 ? chat : 777, text);
        var wait = telegram.WaitForMessageAsync(m => m.ChatId == chat && m.MessageId > before && m.Method == "sendMessage", text);
        if (await Task.WhenAny(wait, Task.Delay(within)) != wait || wait.IsFaulted)
        {
            _ = wait.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: it times out on its own
            return (null, null);
        }

        var took = clock.Elapsed;
        return (took, await wait);
    }
}
