using System.Text.Json;
using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Storage.Sqlite;
using Digest.Telegram.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Telegram.Tests;

/// <summary>
/// Delivery as chats see it, through the real bot host and the fake Bot API: each chat has its own queue, a failure is
/// retried on the bot's clock (moved on by the test), a message that keeps failing is set aside, a digest in several
/// parts goes on from the part that failed, and updates handed over survive a crash.
/// </summary>
[Collection(nameof(BotHost))]
public sealed class DeliveryTests
{
    private const long ChatA = -1001000000001;
    private const long ChatB = -1001000000002;
    private const long Member = 501;
    private const long Admin = 502;
    private static readonly DateTimeOffset T0 = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Help_InChatB_AnsweredWhileChatAWaitsOutA429()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock);
        telegram.Inject("sendMessage", ChatA, FakeFault.Flood(20));

        telegram.Say(ChatA, Member, "/help");
        var waiting = await FailedAsync(bot, ChatA);
        telegram.Say(ChatB, Member, "/help");
        var inB = await telegram.WaitForMessageAsync(m => m.ChatId == ChatB, "chat B's /help reply");

        inB.VisibleText.ShouldStartWith("I follow one developing story");
        telegram.Messages.ShouldNotContain(m => m.ChatId == ChatA);
        SendsTo(telegram, ChatA).ShouldBe(1, "chat A's retry comes after chat B's reply");
        waiting.NextAttemptAt.ShouldBe(T0.AddSeconds(20));

        clock.Advance(TimeSpan.FromSeconds(20));
        await telegram.WaitForMessageAsync(m => m.ChatId == ChatA, "chat A's /help reply once its retry_after passed");
        SendsTo(telegram, ChatA).ShouldBe(2);
        telegram.Messages.Count(m => m.ChatId == ChatA).ShouldBe(1);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Updates_ChatAsCommandWaitsOnASlowSite_ChatBAnsweredMeanwhile_ChatAsNextCommandAnsweredAfterIt()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var site = await FeedServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        telegram.MakeAdministrator(ChatA, Admin);
        site.Hold();

        telegram.Say(ChatA, Admin, $"/feeds add {site.FeedUrl}");
        await site.FeedRequestedAsync();
        telegram.Say(ChatA, Member, "/help");
        telegram.Say(ChatB, Member, "/help");
        var inB = await telegram.WaitForMessageAsync(m => m.ChatId == ChatB, "chat B's /help reply while chat A's /feeds add waits on the site");

        inB.VisibleText.ShouldStartWith("I follow one developing story");
        telegram.Messages.ShouldNotContain(m => m.ChatId == ChatA, "chat A's /help waits behind its /feeds add");
        site.Release();
        await telegram.WaitUntilAsync(sent => sent.Count(m => m.ChatId == ChatA) == 2, "chat A's two replies");
        var inA = telegram.Messages.Where(m => m.ChatId == ChatA).Select(m => m.VisibleText).ToList();
        inA[0].ShouldStartWith("Added Lakeside Courier");
        inA[1].ShouldStartWith("I follow one developing story");
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Status_ASubscribersMessageWaitsOutA429_ShownWithItsNextAttemptAndError_ThenItArrives()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock);
        telegram.Say(ChatA, Member, "/subscribe");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Subscribed", StringComparison.Ordinal), "the /subscribe reply, in private");
        await DrainedAsync(bot, Member);

        // The private chat's next send slot is a second after that reply (one message a second per chat), on the bot's clock.
        clock.Advance(TimeSpan.FromSeconds(1));
        telegram.Inject("sendMessage", Member, FakeFault.Flood(600));
        await bot.EnqueueAsync(Member, "notice:1", OutboxPayload.ForText("Talks resume in Geneva"));
        await FailedAsync(bot, Member);
        // The group's next send slot is a second on (one message a second per chat), on the bot's clock.
        telegram.Say(ChatA, Member, "/status");
        await clock.AdvanceUntilAsync(() => telegram.Messages.Any(m => m.ChatId == ChatA && m.VisibleText.StartsWith("Feeds (", StringComparison.Ordinal)), TimeSpan.FromSeconds(1), "the /status reply");

        var status = telegram.Messages.Single(m => m.ChatId == ChatA && m.VisibleText.StartsWith("Feeds (", StringComparison.Ordinal));
        status.VisibleText.ShouldContain($"Waiting: telegram {Member} — 1 message; next attempt 2025-12-22 12:10 UTC; last error: 429: Too Many Requests: retry after 600");
        telegram.Messages.ShouldNotContain(m => m.ChatId == Member && m.VisibleText == "Talks resume in Geneva");
        clock.Advance(TimeSpan.FromSeconds(600));
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText == "Talks resume in Geneva", "the subscriber's message once the 429 ran out");
        await DrainedAsync(bot, Member);
        telegram.Violations.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("500", "500: Internal Server Error")]
    [InlineData("reset", "")]
    public async Task Reply_ServerErrorOrConnectionReset_RetriedAfterTheBackoffAndArrivesOnce(string fault, string error)
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock);
        telegram.Inject("sendMessage", ChatA, fault == "500" ? FakeFault.ServerError() : FakeFault.ConnectionReset());

        telegram.Say(ChatA, Member, "/help");
        var failed = await FailedAsync(bot, ChatA);
        clock.Advance(TimeSpan.FromSeconds(2));
        var reply = await telegram.WaitForMessageAsync(m => m.ChatId == ChatA, "the /help reply on its second attempt");

        failed.LastError.ShouldNotBeNullOrWhiteSpace();
        failed.LastError.ShouldStartWith(error);
        failed.NextAttemptAt.ShouldBe(T0.AddSeconds(2));
        reply.VisibleText.ShouldStartWith("I follow one developing story");
        SendsTo(telegram, ChatA).ShouldBe(2);
        telegram.Messages.Count(m => m.ChatId == ChatA).ShouldBe(1);
        await DrainedAsync(bot, ChatA);
    }

    [Fact]
    public async Task Reply_AnswerLostAfterTelegramDelivered_SentOnceMore_TheOneDuplicateTelegramAllows()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock);
        telegram.Inject("sendMessage", ChatA, FakeFault.ConnectionReset() with { AfterDelivering = true });

        telegram.Say(ChatA, Member, "/help");
        await FailedAsync(bot, ChatA);
        clock.Advance(TimeSpan.FromSeconds(2));
        await telegram.WaitUntilAsync(sent => sent.Count(m => m.ChatId == ChatA) == 2, "the second copy of the reply");

        await DrainedAsync(bot, ChatA);
    }

    [Fact]
    public async Task Reply_SendHangs_TimeoutIsAFailedAttemptAndOtherChatsGoOn()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock, settings: ["--Telegram:RequestTimeout=00:00:30", "--Telegram:SendSlotHold=00:00:00.500"]);
        telegram.Inject("sendMessage", ChatA, FakeFault.NoAnswer());

        telegram.Say(ChatA, Member, "/help");
        await telegram.WaitForCallsAsync("sendMessage", 1);
        telegram.Say(ChatB, Member, "/help");

        // Chat A's hung send keeps its place among the sends in flight (Telegram:SendsInFlight) only Telegram:SendSlotHold
        // long, shortened here from its default (the request timeout) as an operator would to keep other chats going.
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await telegram.WaitForMessageAsync(m => m.ChatId == ChatB, "chat B's reply while chat A's send hangs");
        clock.Advance(TimeSpan.FromSeconds(30));
        var failed = await FailedAsync(bot, ChatA);
        clock.Advance(TimeSpan.FromSeconds(2));
        await telegram.WaitForMessageAsync(m => m.ChatId == ChatA, "chat A's reply on its second attempt");

        failed.LastError.ShouldBe("no answer within 30 s");
        telegram.Messages.Count(m => m.ChatId == ChatA).ShouldBe(1);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Reply_SendHangs_ByDefaultNoSecondSendStartsUntilItTimesOut()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock, settings: ["--Telegram:RequestTimeout=00:00:30"]);
        telegram.Inject("sendMessage", ChatA, FakeFault.NoAnswer());

        telegram.Say(ChatA, Member, "/help");
        await telegram.WaitForCallsAsync("sendMessage", 1);
        telegram.Say(ChatB, Member, "/help");

        // One send waits for Telegram's answer at a time, for as long as a request may take: a crash now could double
        // chat A's reply, never chat B's too.
        clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        telegram.CallCount("sendMessage").ShouldBe(1);
        clock.Advance(TimeSpan.FromSeconds(26));
        await telegram.WaitForMessageAsync(m => m.ChatId == ChatB, "chat B's reply once chat A's send timed out");
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_GetMeNeverAnswers_TimesOutIsAskedAgainAndThenCommandsAreAnswered()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        telegram.Inject("getMe", 0, FakeFault.NoAnswer());
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock, settings: ["--Telegram:RequestTimeout=00:00:30"]);
        await telegram.WaitForCallsAsync("getMe", 1);

        telegram.Say(ChatA, Member, "/help");
        await clock.AdvanceUntilAsync(() => telegram.Messages.Any(m => m.ChatId == ChatA), TimeSpan.FromSeconds(1), "the /help reply once getMe was asked again");

        telegram.CallCount("getMe").ShouldBeGreaterThanOrEqualTo(2);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Digest_SecondPartFails_RetryGoesOnFromThatPartAndEachPartArrivesOnce()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock);
        telegram.Say(ChatA, Member, "/help");
        await telegram.WaitForMessageAsync(m => m.ChatId == ChatA, "the /help reply");
        var digest = LongDigest();
        var parts = TelegramRenderer.Render(Replies.Digest(digest), new TelegramCallbacks()).Select(p => p.Html).ToList();
        parts.Count.ShouldBeGreaterThanOrEqualTo(3);

        telegram.Inject("sendMessage", ChatA, FakeFault.ServerError(), after: 1);
        await bot.EnqueueAsync(ChatA, "digest:test", OutboxPayload.ForDigest(digest));
        await clock.AdvanceUntilAsync(() => telegram.Messages.Count(m => m.ChatId == ChatA) == parts.Count + 1, TimeSpan.FromSeconds(1), "every part of the digest");

        var delivered = telegram.Messages.Where(m => m.ChatId == ChatA).Skip(1).Select(m => m.Text).ToList();
        delivered.ShouldBe(parts);
        SendsTo(telegram, ChatA).ShouldBe(parts.Count + 2);
        await DrainedAsync(bot, ChatA);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Message_AlwaysFails_SetAsideAfterMaxAttemptsTheNextGoesOutAndStatusSaysWhy()
    {
        var clock = new FakeTimeProvider(T0);
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock, settings: ["--Delivery:MaxAttempts=3"]);
        telegram.Say(ChatA, Member, "/help");
        await telegram.WaitForMessageAsync(m => m.ChatId == ChatA, "the /help reply");

        telegram.Inject("sendMessage", ChatA, FakeFault.ServerError(), times: 3);
        await bot.EnqueueAsync(ChatA, "notice:1", OutboxPayload.ForText("First notice"));
        await bot.EnqueueAsync(ChatA, "notice:2", OutboxPayload.ForText("Second notice"));
        await clock.AdvanceUntilAsync(() => telegram.Messages.Any(m => m.VisibleText == "Second notice"), TimeSpan.FromSeconds(1), "the second notice");

        telegram.Messages.ShouldNotContain(m => m.VisibleText == "First notice");
        telegram.CallsOf("sendMessage").Count(c => (string?)c["text"] == "First notice").ShouldBe(3);
        (await bot.BacklogAsync(ChatA))!.SetAside.ShouldBe(1);
        // The chat's next send slot is a second on (one message a second per chat), on the bot's clock.
        telegram.Say(ChatA, Member, "/status");
        await clock.AdvanceUntilAsync(() => telegram.Messages.Any(m => m.ChatId == ChatA && m.VisibleText.StartsWith("Feeds (", StringComparison.Ordinal)), TimeSpan.FromMilliseconds(500), "the /status reply");
        var status = await telegram.WaitForMessageAsync(m => m.ChatId == ChatA && m.VisibleText.StartsWith("Feeds (", StringComparison.Ordinal), "the /status reply");
        status.VisibleText.ShouldContain($"Set aside: text to telegram {ChatA}, queued 2025-12-22 12:00 UTC — gave up after 3 attempts: 500: Internal Server Error");
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Update_KeptButNotHandledWhenTheWorkerDied_HandledAtTheNextStartAndPollingGoesOnAfterIt()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        var database = BotHarness.TempDatabase();
        await using (var store = new StoreScope(database))
        {
            // What kill -9 right after getUpdates leaves: the update and the offset after it, committed together, unhandled.
            await store.Store.MigrateAsync(CancellationToken.None);
            const string update = """{"update_id":41,"message":{"message_id":1,"date":1700000000,"chat":{"id":-1001000000001,"type":"supergroup","title":"Watchers"},"from":{"id":501,"is_bot":false,"first_name":"Ann"},"text":"/help","entities":[{"type":"bot_command","offset":0,"length":5}]}}""";
            await store.Store.ReceiveUpdatesAsync($"telegram:{FakeTelegramServer.BotId}", [new InboxEntry("41", ChatA.ToString(System.Globalization.CultureInfo.InvariantCulture), update)], ($"telegram:{FakeTelegramServer.BotId}:offset", "42"), T0, CancellationToken.None);
        }

        await using var bot = await BotHarness.StartAsync(telegram, database);
        var reply = await telegram.WaitForMessageAsync(m => m.ChatId == ChatA, "the reply to the update left behind");
        await telegram.WaitForCallsAsync("getUpdates", 1);

        reply.VisibleText.ShouldStartWith("I follow one developing story");
        telegram.CallsOf("getUpdates")[0]["offset"]!.GetValue<int>().ShouldBe(42);
        telegram.Violations.ShouldBeEmpty();
    }

    /// <summary>Waits until the chat's outbox holds nothing more (the last send acknowledged and recorded).</summary>
    private static async Task DrainedAsync(BotHarness bot, long chatId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await bot.BacklogAsync(chatId) is not null)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Waits until the chat's oldest message has failed once, and returns what the outbox says about it.</summary>
    private static async Task<ChannelBacklog> FailedAsync(BotHarness bot, long chatId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if (await bot.BacklogAsync(chatId) is { LastError: not null } backlog)
                {
                    return backlog;
                }
            }
            catch (InvalidOperationException)
            {
                // The chat's channel is not there yet.
            }

            await Task.Delay(10, timeout.Token);
        }
    }

    private static int SendsTo(FakeTelegramServer telegram, long chatId) =>
        telegram.CallsOf("sendMessage").Count(c => long.Parse(c["chat_id"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture) == chatId);

    private static DigestModel LongDigest() => new(
        T0,
        [.. Enumerable.Range(1, 10).Select(i => new DigestStory(
            i,
            $"Story {i}: envoys meet in Geneva",
            $"https://news.example/story/{i}",
            [new StorySource("Harbor Wire", $"https://news.example/a/{i}")],
            [.. Enumerable.Range(1, 3).Select(l => new KeyLine($"Line {l} of story {i}: " + string.Join(' ', Enumerable.Repeat("the talks went on late into the night", 12)), null))],
            0.9,
            ["diplomacy"],
            T0.AddHours(-i),
            T0.AddHours(-i)))],
        null);

    /// <summary>The database as a crashed worker left it, opened without a bot.</summary>
    private sealed class StoreScope(string database) : IAsyncDisposable
    {
        public SqliteStore Store { get; } = new($"Data Source={database}");

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            return ValueTask.CompletedTask;
        }
    }
}
