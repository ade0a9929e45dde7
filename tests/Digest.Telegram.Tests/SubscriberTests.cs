using Digest.Core.Delivery;
using Digest.Core.Pipeline;
using Digest.Telegram.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Telegram.Tests;

/// <summary>
/// What a subscriber receives, through the real bot host, the fake Bot API and feed servers whose items change during
/// the run: each article once whatever feeds carry it, no backlog after the first digest, updates marked with what is
/// new, quiet when nothing is new; schedules in words with a minimum interval; private answers; forum topics.
/// </summary>
[Collection(nameof(BotHost))]
public sealed class SubscriberTests
{
    private const long Group = -1001234567890;
    private const long Member = 501;
    private const long Admin = 502;
    private const long Stranger = 503;

    [Fact]
    public async Task Digests_MirroredFeedsGiveOneStory_NoBacklogAfterTheFirst_UpdateMarkedWithItsNewSource()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var harbor = await FeedServer.StartAsync();
        await using var ridge = await FeedServer.StartAsync();
        await using var delta = await FeedServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();
        var now = bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        // Two feeds at other addresses carry the same article (a mirror): it is backlog when they are added.
        // (Days before the fresh article below, so that one is an event of its own rather than this round's reaction.)
        var geneva = new FeedEntry("Envoys meet in Geneva to refine the peace plan for Ukraine", "Witkoff and Umerov discussed security guarantees and the Kremlin's answer.", now.AddDays(-6), "geneva-round");
        harbor.Add(geneva);
        ridge.Add(geneva);
        telegram.MakeAdministrator(Group, Admin);
        telegram.Say(Group, Admin, $"/feeds add {harbor.FeedUrl} Harbor Times");
        var added = await telegram.WaitForMessageAsync(m => m.VisibleText.StartsWith("Added Harbor Times", StringComparison.Ordinal), "the first /feeds add reply");
        added.VisibleText.ShouldContain("stored as backlog");
        telegram.Say(Group, Admin, $"/feeds add {ridge.FeedUrl} Ridge Post");
        await telegram.WaitForMessageAsync(m => m.VisibleText.StartsWith("Added Ridge Post", StringComparison.Ordinal), "the second /feeds add reply");
        telegram.Say(Group, Admin, $"/feeds add {delta.FeedUrl} Delta Wire");
        await telegram.WaitForMessageAsync(m => m.VisibleText.StartsWith("Added Delta Wire", StringComparison.Ordinal), "the third /feeds add reply");
        await bot.FirstPollsDoneAsync();

        var group = (await bot.ChannelAsync(Group)).Id;

        // The first digest: the latest stories on hand, backlog included; the mirrored article once, with both sources.
        var first = await DigestAsync(telegram, bot, group);
        Count(first, "Envoys meet in Geneva").ShouldBe(1);
        first.ShouldContain("Harbor Times, Ridge Post");
        Count(first, "Harbor Times").ShouldBe(1);

        // Nothing new since: no message at all.
        (await DigestAsync(telegram, bot, group)).ShouldBeEmpty();

        // A fresh article on both mirrors: the next digest carries it alone, once, and none of the backlog.
        var answer = new FeedEntry("Kremlin sends its answer on the Ukraine peace plan to Witkoff", "Peskov said Moscow's reply covers security guarantees and the Donbas demands.", now.AddMinutes(-2), "kremlin-answer");
        harbor.Add(answer);
        ridge.Add(answer);
        await PollAsync(bot, harbor.FeedUrl, ridge.FeedUrl);
        var second = await DigestAsync(telegram, bot, group);
        second.ShouldContain("— 1 story");
        Count(second, "Kremlin sends its answer on the Ukraine peace plan").ShouldBe(1);

        // The same story from a third outlet: it comes back marked as updated, with the new source.
        delta.Add(answer with { Title = "Kremlin sends its answer on the Ukraine peace plan to Witkoff, Peskov says", Slug = "answer-delta" });
        await PollAsync(bot, delta.FeedUrl);
        var third = await DigestAsync(telegram, bot, group);
        third.ShouldContain("— 1 story");
        third.ShouldContain("Updated: Kremlin sends its answer");
        third.ShouldContain("new source: Delta Wire");

        // And /search finds the mirrored article once.
        telegram.Say(Group, Member, "/search \"Envoys meet in Geneva\"");
        var hits = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Results 1–", StringComparison.Ordinal), "the /search reply");
        hits.VisibleText.ShouldStartWith("Results 1–1 ");
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Schedule_InWordsWithAMinimum_PrivateAnswers_TopicsUnscheduled_Mute()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        telegram.MakeAdministrator(Group, Admin);

        telegram.Say(Group, Admin, "/schedule * * * * * ?");
        var refused = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.Contains("Digest:MinScheduleInterval", StringComparison.Ordinal), "the refusal of a schedule every second");
        refused.VisibleText.ShouldContain("every 1 second");
        refused.VisibleText.ShouldContain("at least 15 minutes apart");

        telegram.Say(Group, Admin, "/schedule daily 08:00 Europe/Kyiv");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Done. This chat's digest: daily at 08:00 (Europe/Kyiv); next: ", StringComparison.Ordinal), "the accepted daily schedule");
        telegram.Say(Group, Admin, "/schedule weekdays 07:30");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Done. This chat's digest: weekdays at 07:30 (Europe/Kyiv); next: ", StringComparison.Ordinal), "the accepted weekday schedule");

        // A member's alerts are answered in private; the group never sees the phrase.
        telegram.Say(Group, Member, "/alerts add \"security guarantees\"");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Alert added", StringComparison.Ordinal), "the /alerts reply in private");

        // Someone the bot may not write to yet gets a link that opens the private chat, nothing else.
        telegram.Inject("sendMessage", Stranger, FakeFault.Blocked());
        telegram.Say(Group, Stranger, "/alerts add \"prisoner exchange\"");
        var link = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.Contains("t.me/digest_test_bot?start=private", StringComparison.Ordinal), "the deep link");
        link.VisibleText.ShouldNotContain("prisoner exchange");
        telegram.Messages.Where(m => m.ChatId == Group).ShouldNotContain(m => m.VisibleText.Contains("security guarantees", StringComparison.Ordinal));

        // A forum topic where someone types a command gets no digest of its own.
        telegram.Say(Group, Member, "/status", threadId: 77);
        var status = await telegram.WaitForMessageAsync(m => m.ThreadId == 77 && m.VisibleText.StartsWith("Feeds (", StringComparison.Ordinal), "/status in a topic");
        status.VisibleText.ShouldContain("next none scheduled");

        // A moderator mutes a configured feed and lets it back.
        await bot.FirstPollsDoneAsync();
        var feed = (await bot.Store.GetFeedsAsync(CancellationToken.None))[0];
        telegram.Say(Group, Admin, $"/feeds mute {feed.Id}");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith($"Muted {feed.Name}", StringComparison.Ordinal), "the /feeds mute reply");
        telegram.Say(Group, Admin, "/feeds list");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.Contains("configured for every community · muted", StringComparison.Ordinal), "the muted feed in /feeds list");
        telegram.Say(Group, Admin, $"/feeds unmute {feed.Id}");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith($"Unmuted {feed.Name}", StringComparison.Ordinal), "the /feeds unmute reply");

        telegram.Say(Group, Member, "/latest 1");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("The newest story", StringComparison.Ordinal), "/latest 1 in good grammar");
        telegram.Violations.ShouldBeEmpty();
    }

    /// <summary>
    /// Runs the channel's digest now (it is composed and queued) and returns what the group received once the channel's
    /// outbox is sent (empty when nothing was sent).
    /// </summary>
    private static async Task<string> DigestAsync(FakeTelegramServer telegram, BotHarness bot, long channelId)
    {
        var before = telegram.Messages.Count;
        await bot.Services.GetRequiredService<DigestDelivery>().RunChannelAsync(channelId, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await bot.BacklogAsync(Group) is not null)
        {
            await Task.Delay(10, timeout.Token);
        }

        return string.Join("\n", telegram.Messages.Skip(before).Where(m => m.ChatId == Group).Select(m => m.VisibleText));
    }

    private static async Task PollAsync(BotHarness bot, params string[] urls)
    {
        var poller = bot.Services.GetRequiredService<FeedPoller>();
        foreach (var feed in (await bot.Store.GetFeedsAsync(CancellationToken.None)).Where(f => urls.Contains(f.Url)))
        {
            await poller.PollAsync(feed, CancellationToken.None);
        }

        await bot.FirstPollsDoneAsync();
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
