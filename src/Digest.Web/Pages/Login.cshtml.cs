using Digest.Telegram;
using Digest.Web.Auth;
using Digest.Web.Public;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Digest.Web.Pages;

internal sealed class LoginModel(IServiceProvider services, DiscordOAuth discord, IOptions<WebOptions> web) : PageModel
{
    public string? TelegramLoginUrl { get; private set; }

    public bool DiscordEnabled => discord.Enabled;

    public string ReturnUrl { get; private set; } = "/admin";

    public void OnGet(string? returnUrl)
    {
        ReturnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/admin";
        if (services.GetService<IOptions<TelegramOptions>>()?.Value is { Enabled: true } telegram)
        {
            // Telegram's own login page (what the Login Widget opens), then back to /auth/telegram with the signed answer.
            var site = Links.Base(Request, web.Value.PublicUrl);
            var botId = telegram.BotToken![..telegram.BotToken!.IndexOf(':', StringComparison.Ordinal)];
            var origin = site.GetLeftPart(UriPartial.Authority);
            TelegramLoginUrl = $"https://oauth.telegram.org/auth?bot_id={botId}&origin={Uri.EscapeDataString(origin)}&request_access=write&return_to={Uri.EscapeDataString(new Uri(site, "auth/telegram").AbsoluteUri)}";
        }
    }
}
