using System.Text;
using Digest.Telegram.Tests.TestSupport;
using Digest.Web.Tests.TestSupport;
using Microsoft.Playwright;

namespace Digest.Web.Tests;

/// <summary>The site in a real browser (headless Chromium through Playwright): what a reader and a moderator see and do.</summary>
public sealed class BrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Home_InChromium_ShowsTheLatestStories_AndAsksNoOtherHost()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        await using var _ = browser;
        using var __ = playwright;
        await using var bot = await WebBot.StartAsync();
        await bot.FirstPollsDoneAsync();
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).Authority != bot.Address.Authority)
            {
                elsewhere.Add(request.Url);
            }
        };

        await page.GotoAsync(bot.Address.ToString());

        (await page.Locator("article.story").CountAsync()).ShouldBeGreaterThanOrEqualTo(3);
        (await page.Locator("article.story h2").First.InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        (await page.Locator("article.story .meta a").CountAsync()).ShouldBeGreaterThan(0);
        (await page.TitleAsync()).ShouldBe("Latest stories — Digest");
        elsewhere.ShouldBeEmpty();
    }

    [Fact]
    public async Task Moderator_LogsInWithTelegram_AddsAFeedWithItsPreview_TunesTheTopic_OpensAStory()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        await using var _ = browser;
        using var __ = playwright;
        await using var m = await Moderators.StartAsync();
        await m.Bot.FirstPollsDoneAsync();
        await using var site = await FeedServer.StartAsync();
        site.Add(new FeedEntry("Witkoff and Umerov meet in Miami on the peace plan", "US envoy Steve Witkoff met Rustem Umerov to discuss security guarantees for Ukraine.", TimeProvider.System.GetUtcNow().AddHours(-2), "miami-talks"));
        site.Add(new FeedEntry("Lakeside festival opens", "The summer festival opened on the lake shore.", TimeProvider.System.GetUtcNow().AddHours(-1), "festival"));
        var page = await browser.NewPageAsync();
        var community = Moderators.CommunityOf(Moderators.Group);

        // Telegram's login page hands the signed answer back in the fragment; the page's own script turns it into the query.
        var answer = Moderators.LoginQuery(Moderators.Admin, "Ann", TimeProvider.System.GetUtcNow());
        var json = "{" + string.Join(',', answer.Split('&').Select(p => p.Split('=')).Select(p => $"\"{p[0]}\":\"{Uri.UnescapeDataString(p[1])}\"")) + "}";
        await page.GotoAsync(new Uri(m.Bot.Address, "auth/telegram").AbsoluteUri + "#tgAuthResult=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));
        await page.WaitForURLAsync("**/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = community }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Feeds");

        // Preview first: the feeds check view of the site's page, found through its <link rel="alternate">.
        await page.GetByLabel("Feed or page address").FillAsync(site.PageUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        var preview = page.Locator("#preview");
        (await preview.InnerTextAsync()).ShouldContain("Lakeside Courier");
        (await preview.InnerTextAsync()).ShouldContain("Witkoff and Umerov meet in Miami");
        (await page.GetByLabel("Feed or page address").InputValueAsync()).ShouldBe(site.PageUrl);

        // Then follow it, from the keyboard: focus the button and press Enter.
        await page.GetByRole(AriaRole.Button, new() { Name = "Follow it" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("[role=status]:has-text('Added Lakeside Courier')");
        (await page.Locator("table tbody").InnerTextAsync()).ShouldContain("Lakeside Courier");
        (await m.Bot.Store.GetCommunityFeedsAsync(community, Ct)).ShouldContain(f => f.Feed.Url == site.FeedUrl && !f.Configured);

        // Tune the topic: preview excluding a phrase on the last 7 days, then apply it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Topic", Exact = true }).ClickAsync();
        await page.GetByLabel("Change", new() { Exact = true }).SelectOptionAsync("exclude");
        await page.GetByLabel("Phrase or threshold").FillAsync("Zelensky");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview on the last 7 days" }).ClickAsync();
        (await page.Locator("#preview-heading").InnerTextAsync()).ShouldBe("What the change would do to the last 7 days");
        (await page.Locator("#topic-preview th").AllInnerTextsAsync()).ShouldContain("With the change");
        (await m.Bot.Store.GetTopicSettingsAsync(community, Ct)).Exclude.ShouldBeEmpty();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        (await page.Locator("#excluded").InnerTextAsync()).ShouldContain("Zelensky");
        (await m.Bot.Store.GetTopicSettingsAsync(community, Ct)).Exclude.ShouldBe(["Zelensky"]);

        // Open a story from the community's stories.
        await page.GetByRole(AriaRole.Link, new() { Name = "Stories", Exact = true }).ClickAsync();
        var first = page.Locator("article.story h2 a").First;
        var title = await first.InnerTextAsync();
        await first.ClickAsync();
        await page.WaitForURLAsync("**/stories/*");
        (await page.Locator("article.story h2").InnerTextAsync()).ShouldBe(title);
        (await page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" }).CountAsync()).ShouldBe(1);
        m.Telegram.Violations.ShouldBeEmpty();
    }
}
