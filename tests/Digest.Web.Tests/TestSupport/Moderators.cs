using System.Globalization;
using System.Net;
using Digest.Telegram.Tests.TestSupport;
using Digest.Web.Auth;

namespace Digest.Web.Tests.TestSupport;

/// <summary>
/// The bot with Telegram on the fake Bot API: group <see cref="Group"/> (where <see cref="Admin"/> is an administrator and
/// <see cref="Member"/> is not) and group <see cref="OtherGroup"/> (administered by <see cref="OtherAdmin"/>), each known
/// to the bot because someone used a command there.
/// </summary>
internal sealed class Moderators : IAsyncDisposable
{
    public const long Group = -1001;
    public const long OtherGroup = -1002;
    public const long Admin = 501;
    public const long Member = 502;
    public const long OtherAdmin = 601;

    private Moderators(FakeTelegramServer telegram, WebBot bot)
    {
        Telegram = telegram;
        Bot = bot;
    }

    public FakeTelegramServer Telegram { get; }

    public WebBot Bot { get; }

    public static string CommunityOf(long chat) => "telegram:" + chat.ToString(CultureInfo.InvariantCulture);

    public static async Task<Moderators> StartAsync(params string[] configuration)
    {
        var telegram = await FakeTelegramServer.StartAsync();
        var bot = await WebBot.StartAsync(
        [
            $"--Telegram:BotToken={FakeTelegramServer.Token}",
            $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
            "--Telegram:PollTimeout=00:00:05",
            "--Feeds:AllowPrivateAddresses=true",
            .. configuration,
        ]);
        telegram.MakeAdministrator(Group, Admin);
        telegram.MakeAdministrator(OtherGroup, OtherAdmin);
        telegram.Say(Group, Member, "/help");
        telegram.Say(OtherGroup, OtherAdmin, "/help");
        await telegram.WaitForMessageAsync(m => m.ChatId == Group, "the reply to /help in the group");
        await telegram.WaitForMessageAsync(m => m.ChatId == OtherGroup, "the reply to /help in the other group");
        return new Moderators(telegram, bot);
    }

    /// <summary>The Login Widget's answer for a user, signed as Telegram signs it (or with another token: a forgery).</summary>
    public static string LoginQuery(long userId, string firstName, DateTimeOffset authDate, string token = FakeTelegramServer.Token)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_date"] = authDate.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["first_name"] = firstName,
            ["id"] = userId.ToString(CultureInfo.InvariantCulture),
        };
        var hash = Convert.ToHexString(TelegramLogin.Sign(string.Join('\n', fields.Select(f => $"{f.Key}={f.Value}")), token)).ToLowerInvariant();
        return string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}")) + "&hash=" + hash;
    }

    /// <summary>A browser without JavaScript: keeps cookies, follows no redirects.</summary>
    public HttpClient Browser() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Bot.Address };

    /// <summary>A browser logged in as <paramref name="userId"/> through the Telegram login.</summary>
    public async Task<HttpClient> LoggedInAsync(long userId, string name)
    {
        var browser = Browser();
        using var login = await browser.GetAsync("auth/telegram?" + LoginQuery(userId, name, TimeProvider.System.GetUtcNow()), TestContext.Current.CancellationToken);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, await login.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return browser;
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Telegram.DisposeAsync();
    }
}
