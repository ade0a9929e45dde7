using System.Collections.Concurrent;
using System.Text;
using Digest.Discord.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Web.Tests.TestSupport;

/// <summary>
/// Discord's OAuth2 on 127.0.0.1: the authorize page (the user approves at once), <c>POST /api/v10/oauth2/token</c>
/// (authorization code with the client's Basic credentials, RFC 6749 §4.1.3), and <c>/users/@me</c> and
/// <c>/users/@me/guilds</c>, which must be paths of Discord's OpenAPI description; answers carry the fields its schemas
/// require. Anything else the bot does wrong lands in <see cref="Violations"/>.
/// </summary>
internal sealed class FakeDiscordOAuth : IAsyncDisposable
{
    public const string ClientId = "100000000000000777";
    public const string ClientSecret = "client-secret-for-tests";
    public const string UserId = "300000000000000001";
    public const string ManagedGuild = "400000000000000001";
    public const string MemberGuild = "400000000000000002";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> codes = new();
    private readonly ConcurrentQueue<string> violations = new();

    private FakeDiscordOAuth(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public string ApiUrl => BaseUrl + "/api/v10";

    public string AuthorizeUrl => BaseUrl + "/oauth2/authorize";

    public IReadOnlyList<string> Violations => [.. violations];

    public static async Task<FakeDiscordOAuth> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeDiscordOAuth(app);
        app.MapGet("/oauth2/authorize", (HttpContext context) =>
        {
            var q = context.Request.Query;
            fake.Check(q["response_type"] == "code", "authorize: response_type must be code");
            fake.Check(q["client_id"] == ClientId, "authorize: wrong client_id");
            fake.Check(q["scope"].ToString().Split(' ').Order().SequenceEqual(["guilds", "identify"]), $"authorize: scope '{q["scope"]}'");
            fake.Check(!string.IsNullOrEmpty(q["state"]), "authorize: no state");
            var code = Guid.NewGuid().ToString("N");
            fake.codes[code] = q["redirect_uri"].ToString();
            return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
        });
        app.MapPost("/api/v10/oauth2/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
            if (context.Request.Headers.Authorization != basic || form["grant_type"] != "authorization_code"
                || !fake.codes.TryRemove(form["code"].ToString(), out var redirect) || redirect != form["redirect_uri"])
            {
                fake.violations.Enqueue("token: bad client credentials, grant, code or redirect_uri");
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            return Results.Json(new { access_token = "token-" + UserId, token_type = "Bearer", expires_in = 604800, refresh_token = "r", scope = "identify guilds" });
        });
        app.MapGet("/api/v10/users/@me", (HttpContext context) => fake.Authorized(context, "/users/@me")
            ? Results.Json(new { id = UserId, username = "carol", avatar = (string?)null, discriminator = "0", public_flags = 0, flags = 0, global_name = "Carol", mfa_enabled = false, locale = "en-US" })
            : Results.Json(new { message = "401: Unauthorized", code = 0 }, statusCode: 401));
        app.MapGet("/api/v10/users/@me/guilds", (HttpContext context) => fake.Authorized(context, "/users/@me/guilds")
            ? Results.Json(new[]
            {
                Guild(ManagedGuild, "Watchers", "32"),
                Guild(MemberGuild, "Elsewhere", "1024"),
            })
            : Results.Json(new { message = "401: Unauthorized", code = 0 }, statusCode: 401));
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private static object Guild(string id, string name, string permissions) =>
        new { id, name, icon = (string?)null, banner = (string?)null, owner = false, permissions, features = Array.Empty<string>() };

    private bool Authorized(HttpContext context, string path)
    {
        Check(DiscordSpec.Instance.Template("GET", path) is not null, $"GET {path} is not in Discord's OpenAPI description");
        var ok = context.Request.Headers.Authorization == "Bearer token-" + UserId;
        Check(ok, $"GET {path}: no valid Bearer token");
        return ok;
    }

    private void Check(bool condition, string violation)
    {
        if (!condition)
        {
            violations.Enqueue(violation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
