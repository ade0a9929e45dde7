using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Digest.Telegram.Tests.TestSupport;
using Digest.Web.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Web.Tests;

public sealed class ModeratorsBot : IAsyncLifetime
{
    /// <summary>Null without ../shared: the fake Bot API checks every request against the spec there.</summary>
    internal Moderators? Moderators { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (SharedData.Directory is not null)
        {
            Moderators = await Moderators.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Moderators is not null)
        {
            await Moderators.DisposeAsync();
        }
    }
}

public sealed partial class AdminAccessTests(ModeratorsBot fixture) : IClassFixture<ModeratorsBot>
{
    /// <summary>The fixture's bot; each test is skipped, with the reason, when ../shared is absent.</summary>
    private Moderators m => fixture.Moderators ?? Skip();

    private static Moderators Skip()
    {
        SharedData.PathOf("specs");
        throw new InvalidOperationException("unreachable: ../shared is present but the fixture did not start");
    }
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_WithoutSession_RedirectsToLogin()
    {
        using var browser = m.Browser();
        using var response = await browser.GetAsync("admin", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/login");
    }

    [Fact]
    public async Task TelegramLogin_ValidHash_GivesAnHttpOnlySession_AndTheGroupsTheUserAdministers()
    {
        using var browser = m.Browser();
        using var login = await browser.GetAsync("auth/telegram?" + Moderators.LoginQuery(Moderators.Admin, "Ann", TimeProvider.System.GetUtcNow()), Ct);

        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("digest_session=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);
        cookie.ShouldNotContain("secure", Case.Insensitive); // plain http here; over https the cookie is Secure

        var admin = new HtmlParser().ParseDocument(await browser.GetStringAsync("admin", Ct));
        admin.QuerySelectorAll("#communities a").Select(a => a.TextContent).ShouldBe([Moderators.CommunityOf(Moderators.Group)]);
        using var page = await browser.GetAsync("admin/" + Moderators.CommunityOf(Moderators.Group), Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PlainMember_DoesNotSeeTheGroup_AndGets403OnItsPages()
    {
        using var browser = await m.LoggedInAsync(Moderators.Member, "Bob");

        var admin = new HtmlParser().ParseDocument(await browser.GetStringAsync("admin", Ct));
        admin.QuerySelectorAll("#communities a").ShouldBeEmpty();
        foreach (var path in new[] { "", "/topic", "/schedules", "/deliveries", "/stories", "/chart" })
        {
            using var page = await browser.GetAsync("admin/" + Moderators.CommunityOf(Moderators.Group) + path, Ct);
            page.StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await page.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Followed feeds");
        }
    }

    [Fact]
    public async Task Moderator_CannotSeeOrChangeAnotherCommunity()
    {
        using var browser = await m.LoggedInAsync(Moderators.Admin, "Ann");
        var other = Moderators.CommunityOf(Moderators.OtherGroup);

        using var page = await browser.GetAsync($"admin/{other}/topic", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // A change posted with a genuine token of the user's own page is still refused for a community that is not theirs.
        var token = await TokenAsync(browser, "admin/" + Moderators.CommunityOf(Moderators.Group) + "/topic");
        using var change = await browser.PostAsync($"admin/{other}/topic?handler=Apply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["action"] = "exclude",
            ["value"] = "ceasefire",
            ["__RequestVerificationToken"] = token,
        }), Ct);
        change.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await m.Bot.Store.GetTopicSettingsAsync(other, Ct)).Exclude.ShouldBeEmpty();
    }

    [Fact]
    public async Task TelegramLogin_ForgedOrStale_IsRefusedWithoutSession()
    {
        using var browser = m.Browser();
        var now = TimeProvider.System.GetUtcNow();

        using var forged = await browser.GetAsync("auth/telegram?" + Moderators.LoginQuery(Moderators.Admin, "Ann", now, token: "999999:not-the-bots-token"), Ct);
        using var tampered = await browser.GetAsync("auth/telegram?" + Moderators.LoginQuery(Moderators.Member, "Bob", now).Replace($"id={Moderators.Member}", $"id={Moderators.Admin}", StringComparison.Ordinal), Ct);
        using var stale = await browser.GetAsync("auth/telegram?" + Moderators.LoginQuery(Moderators.Admin, "Ann", now - TimeSpan.FromHours(25)), Ct);

        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forged.Content.ReadAsStringAsync(Ct)).ShouldContain("signature is not valid");
        tampered.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        stale.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await stale.Content.ReadAsStringAsync(Ct)).ShouldContain("too old");
        new[] { forged, tampered, stale }.ShouldAllBe(r => !r.Headers.Contains("Set-Cookie") || !r.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("digest_session=", StringComparison.Ordinal)));
        using var admin = await browser.GetAsync("admin", Ct);
        admin.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Form_WithoutItsAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        using var browser = await m.LoggedInAsync(Moderators.Admin, "Ann");
        var community = Moderators.CommunityOf(Moderators.Group);
        await TokenAsync(browser, $"admin/{community}/topic"); // the antiforgery cookie is set, the token is left out

        using var change = await browser.PostAsync($"admin/{community}/topic?handler=Apply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["action"] = "exclude",
            ["value"] = "Gaza",
        }), Ct);

        change.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await m.Bot.Store.GetTopicSettingsAsync(community, Ct)).Exclude.ShouldNotContain("Gaza");
    }

    [Fact]
    public async Task Moderator_MutesAndUnmutesAFeed_FromTheFeedsPage()
    {
        using var browser = await m.LoggedInAsync(Moderators.Admin, "Ann");
        var community = Moderators.CommunityOf(Moderators.Group);
        var feed = (await m.Bot.Store.GetFeedsAsync(Ct)).First();
        var token = await TokenAsync(browser, $"admin/{community}");

        using var mute = await browser.PostAsync($"admin/{community}?handler=Mute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["feedId"] = feed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["on"] = "true",
            ["__RequestVerificationToken"] = token,
        }), Ct);

        mute.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await m.Bot.Store.GetMutedFeedsAsync(community, Ct)).ShouldContain(feed.Id);
        var page = new HtmlParser().ParseDocument(await mute.Content.ReadAsStringAsync(Ct));
        page.QuerySelectorAll("button").Select(b => b.GetAttribute("aria-label")).ShouldContain($"Unmute {feed.Name}");

        using var unmute = await browser.PostAsync($"admin/{community}?handler=Mute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["feedId"] = feed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["on"] = "false",
            ["__RequestVerificationToken"] = token,
        }), Ct);

        unmute.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await m.Bot.Store.GetMutedFeedsAsync(community, Ct)).ShouldNotContain(feed.Id);
    }

    [Fact]
    public async Task DeliveryLog_ShowsAMessageSetAsideWithItsReason()
    {
        using var browser = await m.LoggedInAsync(Moderators.Admin, "Ann");
        var community = Moderators.CommunityOf(Moderators.Group);
        var store = m.Bot.Store;

        // The bot's own delivery sends the message, the Bot API refuses it, and the bot sets it aside with the reason.
        m.Telegram.Inject("sendMessage", Moderators.Group, new FakeFault(400, "Bad Request: message is too long"));
        var channel = await store.EnsureChannelAsync("telegram", "-1001:77", community, Digest.Core.Commands.Schedules.Off, "UTC", Ct);
        await store.EnqueueAsync(channel.Id, "text", "test:set-aside", Digest.Core.Delivery.OutboxPayload.ForText("A reply that never fit").Serialize(), TimeProvider.System.GetUtcNow(), Ct);
        m.Bot.Services.GetRequiredService<Digest.Core.Delivery.OutboxSignal>().Wake(channel.Id);

        var table = await SetAsideTableAsync(browser, community);

        table.TextContent.ShouldContain("Bad Request: message is too long");
    }

    /// <summary>The deliveries page's table of set-aside messages, once it has one (within a minute).</summary>
    private static async Task<AngleSharp.Dom.IElement> SetAsideTableAsync(HttpClient browser, string community)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (true)
        {
            var page = new HtmlParser().ParseDocument(await browser.GetStringAsync($"admin/{community}/deliveries", timeout.Token));
            if (page.QuerySelector("table[aria-labelledby=set-aside]") is { } table)
            {
                return table;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private static async Task<string> TokenAsync(HttpClient browser, string page)
    {
        var html = await browser.GetStringAsync(page, Ct);
        return TokenPattern().Match(html).Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
