using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Web.Public;
using Digest.Web.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Web.Tests;

/// <summary>One bot for the class: it polls the bundled samples once, and each test reads what it shows.</summary>
public sealed class PolledBot : IAsyncLifetime
{
    internal WebBot Bot { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Bot = await WebBot.StartAsync();
        await Bot.FirstPollsDoneAsync();
    }

    public async ValueTask DisposeAsync() => await Bot.DisposeAsync();
}

public sealed class PublicPagesTests(PolledBot polled) : IClassFixture<PolledBot>
{
    private static readonly XNamespace AtomNs = "http://www.w3.org/2005/Atom";
    private readonly WebBot bot = polled.Bot;

    [Fact]
    public async Task Home_ShowsTheLatestStoriesWithSourcesAndKeyLines()
    {
        var html = await bot.Http.GetStringAsync("", TestContext.Current.CancellationToken);
        var document = new HtmlParser().ParseDocument(html);

        var stories = document.QuerySelectorAll("article.story");
        stories.Length.ShouldBeGreaterThanOrEqualTo(3);
        stories.ShouldAllBe(s => s.QuerySelector("h2 a") != null && s.QuerySelectorAll(".meta a").Length >= 1);
        document.QuerySelectorAll("article.story .keylines li").Length.ShouldBeGreaterThan(0);
        document.QuerySelector("link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href").ShouldBe("/feed.atom");

        // Nothing on the page comes from another host: no scripts, styles or images from elsewhere.
        document.QuerySelectorAll("script[src], link[rel=stylesheet], img[src]").ShouldBeEmpty();
    }

    [Fact]
    public async Task AtomFeed_IsAtom10_WithAnEntryPerStory()
    {
        using var response = await bot.Http.GetAsync("feed.atom", TestContext.Current.CancellationToken);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/atom+xml");
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        var feed = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!;
        feed.Name.ShouldBe(AtomNs + "feed");
        new[] { "id", "title", "updated", "author" }.ShouldAllBe(name => feed.Element(AtomNs + name) != null);
        var entries = feed.Elements(AtomNs + "entry").ToList();
        entries.Count.ShouldBeGreaterThanOrEqualTo(3);
        foreach (var entry in entries)
        {
            Uri.IsWellFormedUriString(entry.Element(AtomNs + "id")!.Value, UriKind.Absolute).ShouldBeTrue();
            entry.Element(AtomNs + "title")!.Value.ShouldNotBeNullOrWhiteSpace();
            DateTimeOffset.Parse(entry.Element(AtomNs + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture).Year.ShouldBeGreaterThan(2000);
            entry.Elements(AtomNs + "link").ShouldContain(l => (string?)l.Attribute("rel") == "alternate");
            entry.Element(AtomNs + "content")!.Value.ShouldContain("Sources:");
        }

        // A reader reads it: the bot's own feed parser, as `feeds check` would.
        var parsed = FeedParser.Parse(bytes);
        parsed.Error.ShouldBeNull();
        parsed.Format.ShouldBe("Atom 1.0");
        parsed.Items.Count.ShouldBe(entries.Count);
    }

    [Fact]
    public async Task JsonFeed_IsJsonFeed11_WithTheSameStories()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await bot.Http.GetAsync("feed.json", ct);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/feed+json");
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var feed = JsonDocument.Parse(bytes).RootElement;

        feed.GetProperty("version").GetString().ShouldBe("https://jsonfeed.org/version/1.1");
        feed.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        var items = feed.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBeGreaterThanOrEqualTo(3);
        items.ShouldAllBe(i => i.GetProperty("id").GetString()!.Length > 0 && i.GetProperty("content_html").GetString()!.Contains("Sources:"));

        var atom = XDocument.Parse(await bot.Http.GetStringAsync("feed.atom", ct)).Root!.Elements(AtomNs + "entry").Select(e => e.Element(AtomNs + "id")!.Value);
        items.Select(i => i.GetProperty("id").GetString()).ShouldBe(atom);

        var parsed = FeedParser.Parse(bytes);
        parsed.Error.ShouldBeNull();
        parsed.Items.Count.ShouldBe(items.Count);
    }

    [Fact]
    public async Task Story_ShowsKeyLinesSourcesAndTimeline_UnknownIs404()
    {
        var ct = TestContext.Current.CancellationToken;
        var home = new HtmlParser().ParseDocument(await bot.Http.GetStringAsync("", ct));
        var link = home.QuerySelector("article.story h2 a")!.GetAttribute("href")!;

        var story = new HtmlParser().ParseDocument(await bot.Http.GetStringAsync(link.TrimStart('/'), ct));
        story.QuerySelector("h2")!.TextContent.ShouldBe(home.QuerySelector("article.story h2")!.TextContent);
        story.QuerySelectorAll("tbody tr").Length.ShouldBeGreaterThanOrEqualTo(1);

        using var missing = await bot.Http.GetAsync("stories/987654321", ct);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = new HtmlParser().ParseDocument(await missing.Content.ReadAsStringAsync(ct));
        page.QuerySelector("h1")!.TextContent.ShouldContain("404");
        page.QuerySelector("a")!.GetAttribute("href").ShouldBe("/");
        using var notAStory = await bot.Http.GetAsync("stories/abc", ct);
        notAStory.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await notAStory.Content.ReadAsStringAsync(ct)).ShouldContain("404");
    }

    [Fact]
    public async Task Story_MergedIntoAnother_ItsAddressLeadsToTheStoryItWasMergedInto()
    {
        var ct = TestContext.Current.CancellationToken;
        long kept = 0, merged = 0;
        await using var own = await WithTwoReportsAsync("Envoys open a round of talks in Geneva", "Geneva round opens with both delegations present", async (store, items, at) =>
        {
            kept = await StorySeeds.StoryAsync(store, [items[0]], at, ct);
            merged = await StorySeeds.StoryAsync(store, [items[1]], at, ct);
            await store.CommitProcessedAsync(new ProcessedBatch([], [], [], [new StoryMerge(merged, kept)]), at.AddHours(1), ct);
        });

        using var response = await own.Http.GetAsync($"stories/{merged}", ct);
        var survivor = new HtmlParser().ParseDocument(await own.Http.GetStringAsync($"stories/{kept}", ct));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe($"/stories/{kept}");
        survivor.QuerySelectorAll("tbody tr").Length.ShouldBe(2);
    }

    [Fact]
    public async Task Story_SplitInTwo_EachPageLinksToTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        long kept = 0, split = 0;
        await using var own = await WithTwoReportsAsync("Ferry service to the islands suspended for the storm", "Island council elects a new mayor", async (store, items, at) =>
        {
            kept = await StorySeeds.StoryAsync(store, items, at, ct);
            split = await store.ReserveStoryIdAsync(ct);
            await store.CommitProcessedAsync(new ProcessedBatch([], [new NewStory(split, items[1].Item.Title, items[1].Item.Url, 0.8)], [new StoryPlacement(items[1].Id, split, null)], []), at.AddHours(1), ct);
        });

        var old = new HtmlParser().ParseDocument(await own.Http.GetStringAsync($"stories/{kept}", ct));
        var off = new HtmlParser().ParseDocument(await own.Http.GetStringAsync($"stories/{split}", ct));

        old.QuerySelectorAll("tbody tr").Length.ShouldBe(1);
        old.QuerySelectorAll("p.meta a").Select(a => a.GetAttribute("href")).ShouldContain($"/stories/{split}");
        off.QuerySelectorAll("p.meta a").Select(a => a.GetAttribute("href")).ShouldContain($"/stories/{kept}");
        off.QuerySelectorAll("p.meta").Select(p => p.TextContent).ShouldContain(t => t.EndsWith("; 1 report.", StringComparison.Ordinal));
    }

    /// <summary>A bot whose store holds two reports of one feed, five minutes apart, arranged further by <paramref name="arrange"/>.</summary>
    private static Task<WebBot> WithTwoReportsAsync(string first, string second, Func<IDigestStore, IReadOnlyList<StoredItem>, DateTimeOffset, Task> arrange)
    {
        var ct = TestContext.Current.CancellationToken;
        var at = new DateTimeOffset(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
        return WebBot.StartSeededAsync(async store =>
        {
            var feed = await store.UpsertFeedAsync("https://example.org/wire.xml", "Test Wire", "example.org", TimeSpan.FromMinutes(15), ct);
            var items = await store.AddItemsAsync(feed.Id,
            [
                new Item("r1", first, "https://example.org/r1", "", null, at),
                new Item("r2", second, "https://example.org/r2", "", null, at.AddMinutes(5)),
            ], false, at, ct);
            await arrange(store, items, at);
        });
    }

    [Fact]
    public async Task CommunityPage_OnlyWhenItsModeratorsOptIn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var hidden = await bot.Http.GetAsync("c/telegram:-1001", ct);
        using var hiddenFeed = await bot.Http.GetAsync("c/telegram:-1001/feed.atom", ct);
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        hiddenFeed.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await bot.Services.GetRequiredService<LatestStories>().SetPublicAsync("telegram:-1001", true, ct);

        var page = new HtmlParser().ParseDocument(await bot.Http.GetStringAsync("c/telegram:-1001", ct));
        page.QuerySelectorAll("article.story").Length.ShouldBeGreaterThan(0);
        using var feed = await bot.Http.GetAsync("c/telegram:-1001/feed.json", ct);
        feed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
