using Digest.Core.Delivery;
using Digest.Core.Pipeline;
using Digest.Telegram.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Telegram.Tests;

/// <summary>
/// Scripted conversations through the real bot host and the fake Telegram server. One host at a time: Quartz keeps its
/// schedulers in a process-wide registry.
/// </summary>
[Collection(nameof(BotHost))]
public sealed class ConversationTests
{
    private const long Group = -1001234567890;
    private const long Member = 501;
    private const long Admin = 502;

    [Fact]
    public async Task Member_AsksLatestAndSearch_GetsStoriesWithPagerAndSnippets()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();

        telegram.Say(Group, Member, "/latest 2");
        var latest = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("The 2 newest stories", StringComparison.Ordinal), "/latest's reply");
        latest.PreviewDisabled.ShouldBeTrue();
        latest.ButtonData.ShouldHaveSingleItem().ShouldBe("p|latest|1|2");

        telegram.Press(latest, Member, latest.ButtonData[0]);
        var page2 = await telegram.WaitForMessageAsync(m => m.Method == "editMessageText" && m.VisibleText.StartsWith("Stories 3–4", StringComparison.Ordinal), "page 2 of /latest");
        page2.ButtonData.ShouldBe(["p|latest|0|2", "p|latest|2|2"]);
        await telegram.WaitForCallsAsync("answerCallbackQuery", 1);

        telegram.Say(Group, Member, "/search security guarantees");
        var search = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Results 1–", StringComparison.Ordinal), "/search's reply");
        search.VisibleText.ShouldContain("security guarantees", Case.Insensitive);
        search.Text.ShouldContain("<a href=\"https://");

        telegram.Say(Group, Member, "/latest lots", threadId: 77);
        var refusal = await telegram.WaitForMessageAsync(m => m.VisibleText.Contains("/latest takes one number from 1 to 20", StringComparison.Ordinal), "the refusal of a bad count");
        refusal.ThreadId.ShouldBe(77);

        telegram.CallsOf("setMyCommands").Count.ShouldBe(2);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task ForgedPagerData_RunsNoOtherCommand_NorShowsThePageItsNumberWrapsTo()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();
        telegram.Say(Group, Member, "/latest 2");
        var latest = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.ButtonData.Count > 0, "/latest's reply with its pager");

        // A client can send any callback data with a press: data naming another command must not run it in the group.
        telegram.Press(latest, Member, "p|alerts|0|add forged phrase");
        telegram.Press(latest, Member, "p|subscribe|0|");
        await telegram.WaitForCallsAsync("answerCallbackQuery", 2);
        telegram.CallsOf("answerCallbackQuery").Select(c => (string?)c["text"]).ShouldAllBe(text => text == "This list has expired; run the command again.");

        telegram.Say(Member, Member, "/alerts list");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("You have no alerts.", StringComparison.Ordinal), "the member's empty alert list");
        telegram.Messages.ShouldNotContain(m => m.Method == "editMessageText");

        // A forged page number far past the list shows no page, whatever it multiplies to.
        telegram.Press(latest, Member, "p|latest|1073741824|4");
        var beyond = await telegram.WaitForMessageAsync(m => m.Method == "editMessageText", "the page for a forged page number");
        beyond.VisibleText.ShouldBe("No more stories.");
        (await bot.Store.GetSubscriptionAsync("telegram", Member.ToString(System.Globalization.CultureInfo.InvariantCulture), $"telegram:{Group}", CancellationToken.None)).ShouldBeNull();
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task FeedsImport_AttachmentThatCannotBeDownloaded_GetsAReply()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        telegram.MakeAdministrator(Group, Admin);

        telegram.SendDocument(Group, Admin, "/feeds import", "lost-file", 2048);

        var reply = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Couldn't download the attached file", StringComparison.Ordinal), "the reply to an import whose file was lost");
        reply.VisibleText.ShouldContain("Nothing was imported");
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task FeedsAdd_ByMemberRefused_ByAdminDiscoversFeedAndItsItemsReachNextDigest()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var site = await FeedServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();
        var now = bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        site.Add(new FeedEntry("Envoys meet in Geneva to refine the peace plan for Ukraine", "Witkoff and Umerov discussed security guarantees and the Kremlin's answer.", now.AddMinutes(-5), "geneva-round"));

        telegram.Say(Group, Member, $"/feeds add {site.PageUrl}");
        await telegram.WaitForMessageAsync(m => m.VisibleText.Contains("is for this chat's moderators", StringComparison.Ordinal), "the refusal of a member's /feeds add");
        (await bot.Store.GetFeedsAsync(CancellationToken.None)).ShouldNotContain(f => f.Url == site.FeedUrl);

        telegram.MakeAdministrator(Group, Admin);
        telegram.Say(Group, Admin, $"/feeds add {site.PageUrl}");
        var added = await telegram.WaitForMessageAsync(m => m.VisibleText.StartsWith("Added Lakeside Courier", StringComparison.Ordinal), "the admin's /feeds add reply");
        added.VisibleText.ShouldContain("its 1 current item is stored as backlog");
        await bot.FirstPollsDoneAsync();

        await bot.Services.GetRequiredService<DigestDelivery>().RunChannelAsync((await bot.ChannelAsync(Group)).Id, CancellationToken.None);
        var digest = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Digest —", StringComparison.Ordinal), "the group's digest");
        digest.VisibleText.ShouldContain("Envoys meet in Geneva to refine the peace plan for Ukraine");

        telegram.Say(Group, Admin, "/feeds export");
        await telegram.WaitForCallsAsync("sendDocument", 1);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task FeedsAdd_MetadataAddress_IsRefusedWithoutFetching()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), allowPrivateAddresses: false);
        telegram.MakeAdministrator(Group, Admin);

        telegram.Say(Group, Admin, "/feeds add http://169.254.169.254/latest/meta-data/");
        var reply = await telegram.WaitForMessageAsync(m => m.ChatId == Group, "a reply to /feeds add");
        reply.VisibleText.ShouldBe("Refused: 169.254.169.254 is a link-local or metadata address; feeds may not reach the host's own network.");
        (await bot.Store.GetFeedsAsync(CancellationToken.None)).ShouldNotContain(f => f.Url.Contains("169.254", StringComparison.Ordinal));
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Subscriber_AlertFiresOnceForAFreshMatchingStory_NeverForBacklog()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var site = await FeedServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();
        var now = bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        telegram.Say(Group, Member, "/alerts add \"prisoner exchange\"");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Alert added", StringComparison.Ordinal), "the /alerts add reply, in private");

        // The feed's current items are backlog: stored and searchable, never alerted on. This one is an earlier exchange,
        // days before the fresh one (two hours apart, the clusterer would rightly take them for one event).
        site.Add(new FeedEntry("Ukraine and Russia agree prisoner exchange as peace talks go on", "Kyiv and Moscow swapped prisoners, Zelensky said.", now.AddDays(-4), "swap-1"));
        telegram.MakeAdministrator(Group, Admin);
        telegram.Say(Group, Admin, $"/feeds add {site.FeedUrl}");
        await telegram.WaitForMessageAsync(m => m.VisibleText.StartsWith("Added Lakeside Courier", StringComparison.Ordinal), "the /feeds add reply");
        telegram.Say(Group, Member, "/search prisoner exchange");
        await telegram.WaitForMessageAsync(m => m.VisibleText.Contains("agree prisoner exchange", StringComparison.Ordinal), "the backlog item in /search");

        // A fresh matching story alerts the subscriber privately, as soon as the stages have made the story.
        site.Add(new FeedEntry("Kremlin confirms new prisoner exchange under the peace plan", "Peskov said the swap was agreed with Witkoff's team.", now, "swap-2"));
        var poller = bot.Services.GetRequiredService<FeedPoller>();
        var feed = (await bot.Store.GetFeedsAsync(CancellationToken.None)).Single(f => f.Url == site.FeedUrl);
        await poller.PollAsync(feed, CancellationToken.None);
        var alert = await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Alert:", StringComparison.Ordinal), "an alert in the subscriber's private chat");
        alert.VisibleText.ShouldStartWith("Alert: a new story matches “prisoner exchange”");
        alert.VisibleText.ShouldContain("Kremlin confirms new prisoner exchange under the peace plan");
        alert.VisibleText.ShouldNotContain("agree prisoner exchange as peace talks go on");

        // The same story growing does not alert again.
        site.Add(new FeedEntry("Kremlin confirms new prisoner exchange under the peace plan, Peskov says", "The swap was agreed with Witkoff's team.", now, "swap-3"));
        await poller.PollAsync((await bot.Store.GetFeedAsync(feed.Id, CancellationToken.None))!, CancellationToken.None);
        await bot.FirstPollsDoneAsync();
        var items = await bot.Store.GetItemsSinceAsync(DateTimeOffset.UnixEpoch, CancellationToken.None);
        var second = items.Single(i => i.Item.Url.EndsWith("swap-2", StringComparison.Ordinal));
        var third = items.Single(i => i.Item.Url.EndsWith("swap-3", StringComparison.Ordinal));
        third.StoryId.ShouldBe(second.StoryId);
        telegram.Messages.Count(m => m.ChatId == Member && m.VisibleText.StartsWith("Alert:", StringComparison.Ordinal)).ShouldBe(1);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task AlertAddedInAnotherGroup_LeavesThePrivateDigestOfTheGroupSubscribedIn()
    {
        const long otherGroup = -1009876543210;
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var site = await FeedServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        await bot.FirstPollsDoneAsync();
        var now = bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        telegram.Say(Group, Member, "/subscribe");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Subscribed", StringComparison.Ordinal), "the /subscribe reply, in private");
        telegram.MakeAdministrator(otherGroup, Admin);
        telegram.Say(otherGroup, Admin, $"/feeds add {site.FeedUrl}");
        await telegram.WaitForMessageAsync(m => m.ChatId == otherGroup && m.VisibleText.StartsWith("Added Lakeside Courier", StringComparison.Ordinal), "the other group's /feeds add reply");
        telegram.Say(otherGroup, Member, "/alerts add \"lantern convoy\"");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Alert added", StringComparison.Ordinal), "the /alerts add reply, in private");

        // A fresh story from the feed only the other group follows.
        site.Add(new FeedEntry("Envoys meet in Geneva to refine the peace plan for Ukraine", "Witkoff and Umerov discussed security guarantees and the Kremlin's answer.", now.AddMinutes(-5), "geneva-round"));
        var poller = bot.Services.GetRequiredService<FeedPoller>();
        await poller.PollAsync((await bot.Store.GetFeedsAsync(CancellationToken.None)).Single(f => f.Url == site.FeedUrl), CancellationToken.None);
        await bot.FirstPollsDoneAsync();

        var delivery = bot.Services.GetRequiredService<DigestDelivery>();
        await delivery.RunChannelAsync((await bot.ChannelAsync(otherGroup)).Id, CancellationToken.None);
        var theirs = await telegram.WaitForMessageAsync(m => m.ChatId == otherGroup && m.VisibleText.StartsWith("Digest —", StringComparison.Ordinal), "the other group's digest");
        theirs.VisibleText.ShouldContain("Envoys meet in Geneva to refine the peace plan for Ukraine");
        await delivery.RunChannelAsync((await bot.ChannelAsync(Member)).Id, CancellationToken.None);
        var mine = await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Digest —", StringComparison.Ordinal), "the member's private digest");
        telegram.Messages.Where(m => m.ChatId == Member).ShouldAllBe(m => !m.VisibleText.Contains("Envoys meet in Geneva to refine", StringComparison.Ordinal));
        mine.VisibleText.ShouldNotBeEmpty();
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task FloodStorm_DigestIsDeliveredExactlyOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 22, 12, 0, 0, TimeSpan.Zero));
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase(), clock: clock);
        await bot.FirstPollsDoneAsync();
        telegram.Say(Group, Member, "/help");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group, "the /help reply");
        var channel = await bot.ChannelAsync(Group);

        telegram.Inject("sendMessage", Group, FakeFault.Flood(1), times: 3);
        await bot.Services.GetRequiredService<DigestDelivery>().RunChannelAsync(channel.Id, CancellationToken.None);
        await clock.AdvanceUntilAsync(
            async () => (await bot.Store.GetPendingAsync(channel.Id, 10, CancellationToken.None)).Count == 0,
            TimeSpan.FromSeconds(1),
            "the digest delivered");

        // Every call but the three refused ones delivered a message, and no message twice (a long digest is several messages).
        var delivered = telegram.Messages.Where(m => m.ChatId == Group).ToList();
        telegram.CallsOf("sendMessage").Count(c => (long)c["chat_id"]! == Group).ShouldBe(delivered.Count + 3);
        delivered.Count(m => m.VisibleText.StartsWith("Digest —", StringComparison.Ordinal)).ShouldBe(1);
        delivered.Select(m => m.Text).ShouldBeUnique();
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task StopMidSend_RestartResendsOnlyTheUnacknowledged()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        var database = BotHarness.TempDatabase();
        var bot = await BotHarness.StartAsync(telegram, database);
        telegram.Say(Group, Member, "/help");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group, "the /help reply");
        var channel = await bot.ChannelAsync(Group);

        await bot.EnqueueAsync(Group, "notice:1", OutboxPayload.ForText("First notice"));
        await telegram.WaitForMessageAsync(m => m.VisibleText == "First notice", "the first notice");

        // Telegram receives the second notice, but the bot stops before it hears back: after the stop's grace the send is
        // given up, not acknowledged.
        telegram.Hold(Group);
        await bot.EnqueueAsync(Group, "notice:2", OutboxPayload.ForText("Second notice"));
        await telegram.WaitForMessageAsync(m => m.VisibleText == "Second notice", "the second notice");
        await bot.DisposeAsync();
        telegram.Release(Group);

        // Startup waits for nothing: the dispatcher's sweep, which starts with the bot, sends what was not acknowledged.
        await using var restarted = await BotHarness.StartAsync(telegram, database);
        await telegram.WaitUntilAsync(sent => sent.Count(m => m.VisibleText == "Second notice") == 2, "the second notice again");
        telegram.Messages.Count(m => m.VisibleText == "First notice").ShouldBe(1);
        await WaitAsync(async () => (await restarted.Store.GetPendingAsync(channel.Id, 10, CancellationToken.None)).Count == 0);
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task BlockedSubscriber_IsPausedAndShownInStatus_NotRetried()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        telegram.Say(Group, Member, "/subscribe");
        await telegram.WaitForMessageAsync(m => m.ChatId == Member && m.VisibleText.StartsWith("Subscribed", StringComparison.Ordinal), "the /subscribe reply, in private");
        await bot.FirstPollsDoneAsync();
        var mine = await bot.ChannelAsync(Member);
        mine.CommunityId.ShouldBe($"telegram:{Group}");

        telegram.Inject("sendMessage", Member, FakeFault.Blocked());
        var delivery = bot.Services.GetRequiredService<DigestDelivery>();
        await delivery.RunChannelAsync(mine.Id, CancellationToken.None);
        await WaitAsync(async () => (await bot.ChannelAsync(Member)).PausedReason is not null);
        await delivery.RunChannelAsync(mine.Id, CancellationToken.None);
        (await bot.ChannelAsync(Member)).PausedReason.ShouldBe("Forbidden: bot was blocked by the user");

        telegram.Say(Group, Member, "/status");
        var status = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Feeds (", StringComparison.Ordinal), "the /status reply");
        status.VisibleText.ShouldContain($"Paused: telegram {Member} — Forbidden: bot was blocked by the user");
        telegram.CallsOf("sendMessage").Count(c => (long)c["chat_id"]! == Member).ShouldBe(2); // the private reply, then one digest attempt
        telegram.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task GroupBecameSupergroup_DigestFollowsAndChannelIsRebound()
    {
        const long oldGroup = -4001;
        const long supergroup = -1004001;
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram, BotHarness.TempDatabase());
        telegram.Membership(oldGroup, Admin, "member");
        telegram.Say(oldGroup, Member, "/help");
        await telegram.WaitForMessageAsync(m => m.ChatId == oldGroup, "the /help reply");
        await bot.FirstPollsDoneAsync(); // a digest with nothing new is not sent
        var channel = await bot.ChannelAsync(oldGroup);

        telegram.Inject("sendMessage", oldGroup, FakeFault.Migrated(supergroup));
        await bot.Services.GetRequiredService<DigestDelivery>().RunChannelAsync(channel.Id, CancellationToken.None);

        await telegram.WaitForMessageAsync(m => m.ChatId == supergroup && m.VisibleText.StartsWith("Digest —", StringComparison.Ordinal), "the digest in the supergroup");
        var moved = await bot.ChannelAsync(supergroup);
        moved.Id.ShouldBe(channel.Id);
        moved.CommunityId.ShouldBe($"telegram:{supergroup}");
        telegram.Violations.ShouldBeEmpty();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

[CollectionDefinition(nameof(BotHost), DisableParallelization = true)]
public sealed class BotHost;
