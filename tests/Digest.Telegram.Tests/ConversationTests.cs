using Digest.Core.Delivery;
using Digest.Core.Feeds;
using Digest.Core.Storage;
using Digest.Telegram.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

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

        telegram.Say(Group, Member, "/latest lots");
        await telegram.WaitForMessageAsync(m => m.VisibleText.Contains("/latest takes one number from 1 to 20", StringComparison.Ordinal), "the refusal of a bad count");

        telegram.CallsOf("setMyCommands").Count.ShouldBe(2);
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
        added.VisibleText.ShouldContain("found 1 items");

        await bot.Services.GetRequiredService<DigestDelivery>().RunChannelAsync((await bot.ChannelAsync(Group)).Id, CancellationToken.None);
        var digest = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.VisibleText.StartsWith("Digest —", StringComparison.Ordinal), "the group's digest");
        digest.VisibleText.ShouldContain("Envoys meet in Geneva to refine the peace plan for Ukraine");
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
}

[CollectionDefinition(nameof(BotHost), DisableParallelization = true)]
public sealed class BotHost;
