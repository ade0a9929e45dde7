using Digest.Telegram;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Digest.Web.Pages.Auth;

/// <summary>
/// <c>GET /auth/telegram?id=…&amp;first_name=…&amp;auth_date=…&amp;hash=…</c>: the Telegram Login Widget's answer, checked
/// (<see cref="TelegramLogin"/>) before a session is given; a forged or day-old login gets 401 and no session.
/// </summary>
internal sealed class TelegramLoginModel(IServiceProvider services, TimeProvider time) : PageModel
{
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Request.Query.ContainsKey("hash"))
        {
            return Page();
        }

        if (services.GetService<IOptions<TelegramOptions>>()?.Value is not { Enabled: true } telegram)
        {
            Refusal = "Telegram is not configured on this bot";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        var (user, refusal) = TelegramLogin.Verify(Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())), telegram.BotToken!, time.GetUtcNow());
        if (user is null)
        {
            Refusal = refusal;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var id = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Session.For("telegram", id, user.DisplayName));
        return LocalRedirect("/admin");
    }
}
