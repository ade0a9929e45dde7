using System.Net;
using AngleSharp.Html.Parser;
using Digest.Web.Tests.TestSupport;

namespace Digest.Web.Tests;

public sealed class DiscordLoginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiscordLogin_CodeFlow_ShowsOnlyTheServersWithManageServer()
    {
        // The fake checks each call against Discord's OpenAPI description under ../shared (skipped, with the reason, without it).
        SharedData.PathOf("specs/discord-openapi-v10.json");
        await using var discord = await FakeDiscordOAuth.StartAsync();
        await using var bot = await WebBot.StartAsync(
            $"--Discord:ApiBaseUrl={discord.ApiUrl}",
            $"--Web:DiscordClientId={FakeDiscordOAuth.ClientId}",
            $"--Web:DiscordClientSecret={FakeDiscordOAuth.ClientSecret}",
            $"--Web:DiscordAuthorizeUrl={discord.AuthorizeUrl}");
        await bot.Store.EnsureChannelAsync("discord", "500000000000000001", "discord:" + FakeDiscordOAuth.ManagedGuild, "0 0 8 * * ?", "UTC", Ct);
        await bot.Store.EnsureChannelAsync("discord", "500000000000000002", "discord:" + FakeDiscordOAuth.MemberGuild, "0 0 8 * * ?", "UTC", Ct);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

        using var start = await browser.GetAsync(new Uri(bot.Address, "auth/discord"), Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var approve = await browser.GetAsync(start.Headers.Location!, Ct);
        approve.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var callback = await browser.GetAsync(approve.Headers.Location!, Ct);
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync(Ct));
        callback.Headers.Location!.ToString().ShouldBe("/admin");

        var admin = new HtmlParser().ParseDocument(await browser.GetStringAsync(new Uri(bot.Address, "admin"), Ct));
        admin.QuerySelectorAll("#communities a").Select(a => a.TextContent).ShouldBe(["discord:" + FakeDiscordOAuth.ManagedGuild]);
        using var other = await browser.GetAsync(new Uri(bot.Address, "admin/discord:" + FakeDiscordOAuth.MemberGuild), Ct);
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        discord.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task DiscordCallback_WithAStateThisSiteDidNotIssue_IsRefused()
    {
        await using var discord = await FakeDiscordOAuth.StartAsync();
        await using var bot = await WebBot.StartAsync(
            $"--Discord:ApiBaseUrl={discord.ApiUrl}",
            $"--Web:DiscordClientId={FakeDiscordOAuth.ClientId}",
            $"--Web:DiscordClientSecret={FakeDiscordOAuth.ClientSecret}",
            $"--Web:DiscordAuthorizeUrl={discord.AuthorizeUrl}");

        using var forged = await bot.Http.GetAsync("auth/discord/callback?code=stolen&state=made-up", Ct);

        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        forged.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("digest_session=", StringComparison.Ordinal));
    }
}
