using System.Security.Cryptography;
using System.Text;
using Digest.Web.Public;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Digest.Web.Auth;

/// <summary>
/// The Discord login: <c>/auth/discord</c> sends the moderator to Discord with a fresh <c>state</c> (kept in a short-lived
/// HttpOnly cookie), <c>/auth/discord/callback</c> checks it, exchanges the code and gives a session.
/// </summary>
internal static class AuthEndpoints
{
    private const string StateCookie = "digest_oauth";

    public static void MapDigestAuth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/auth/discord", (HttpContext context, DiscordOAuth discord, IOptions<WebOptions> web, string? returnUrl) =>
        {
            if (!discord.Enabled)
            {
                return Results.NotFound();
            }

            var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            var back = returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] is not ('/' or '\\') ? returnUrl : "/admin";
            context.Response.Cookies.Append(StateCookie, $"{state}|{back}", new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromMinutes(10),
                Path = "/auth/discord",
            });
            return Results.Redirect(discord.AuthorizeUrl(RedirectUri(context, web.Value), state));
        });

        endpoints.MapGet("/auth/discord/callback", async (HttpContext context, DiscordOAuth discord, IOptions<WebOptions> web, string? code, string? state, string? error) =>
        {
            var remembered = context.Request.Cookies[StateCookie];
            context.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/auth/discord" });
            var parts = remembered?.Split('|', 2);
            if (!discord.Enabled || parts is not { Length: 2 } || state is null
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(parts[0])))
            {
                return Results.Text("Discord login refused: the login was not started here, or it took more than 10 minutes. Log in again from /login.", statusCode: StatusCodes.Status401Unauthorized);
            }

            if (error is not null || code is null)
            {
                return Results.Text($"Discord login refused: Discord said '{error ?? "no code"}'.", statusCode: StatusCodes.Status401Unauthorized);
            }

            var (user, refusal) = await discord.LoginAsync(code, RedirectUri(context, web.Value), context.RequestAborted);
            if (user is null)
            {
                return Results.Text($"Discord login refused: {refusal}.", statusCode: StatusCodes.Status401Unauthorized);
            }

            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Session.For("discord", user.Id, user.DisplayName, user.AccessToken));
            return Results.LocalRedirect(parts[1]);
        });
    }

    private static string RedirectUri(HttpContext context, WebOptions web) => new Uri(Links.Base(context.Request, web.PublicUrl), "auth/discord/callback").AbsoluteUri;
}
