using System.Diagnostics;
using System.Globalization;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Telegram.Tests;

/// <summary>
/// A measurement, not a test (explicit: it runs only when asked, and asserts nothing about time): how long a command
/// takes from the moment the fake Bot API hands it out to the moment the reply reaches it, on an idle bot and while
/// another chat waits out a 20 s flood limit. Run:
/// <c>dotnet test tests/Digest.Telegram.Tests --filter "FullyQualifiedName~AcknowledgementLatency" -- xUnit.Explicit=only</c>.
/// </summary>
[Collection(nameof(BotHost))]
public sealed class AcknowledgementLatency
{
    private const long Member = 501;

    [Fact(Explicit = true)]
    public async Task Measure_HelpOnAnIdleBot_AndWhileAnotherChatWaitsOutA20SecondFlood()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();
        await RoundAsync(telegram, -1003000000000, 20);

        var idle = await RoundAsync(telegram, -1004000000000, 200);

        const long flooded = -1005000000000;
        telegram.Inject("sendMessage", flooded, FakeFault.Flood(20));
        telegram.Say(flooded, Member, "/help");
        await telegram.WaitForCallsAsync("sendMessage", telegram.CallCount("sendMessage") + 1);
        var duringFlood = await RoundAsync(telegram, -1006000000000, 100);
        var floodedAnswered = telegram.Messages.Any(m => m.ChatId == flooded);

        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine(Describe("idle bot, /help in a new chat each time", idle));
        output.WriteLine(Describe("while another chat waits out a 429 (retry_after 20)", duringFlood) + $"; the flooded chat answered meanwhile: {floodedAnswered}");
    }

    /// <summary>One /help at a time, each in its own chat (no per-chat pacing), spaced so the global 25/s limit never waits.</summary>
    private static async Task<List<double>> RoundAsync(FakeTelegramServer telegram, long firstChat, int count)
    {
        var millis = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var chat = firstChat - i;
            var clock = Stopwatch.StartNew();
            telegram.Say(chat, Member, "/help");
            await telegram.WaitForMessageAsync(m => m.ChatId == chat, "the /help reply");
            millis.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(60);
        }

        return millis;
    }

    private static string Describe(string what, List<double> millis)
    {
        var sorted = millis.Order().ToList();
        double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{what}: n={sorted.Count} p50={At(0.5):0.0} ms p90={At(0.9):0.0} ms p99={At(0.99):0.0} ms max={sorted[^1]:0.0} ms");
    }
}
