using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Digest.Discord;
using Microsoft.Extensions.Options;

namespace Digest.Web.Auth;

/// <summary>A Discord user and the servers where they have Manage Server.</summary>
internal sealed record DiscordLoginUser(string Id, string DisplayName, string AccessToken);

/// <summary>
/// Discord OAuth2, authorization code grant with scopes <c>identify guilds</c>: the code is exchanged at
/// <c>POST /oauth2/token</c>, the user read from <c>GET /users/@me</c>, and the servers they may manage from
/// <c>GET /users/@me/guilds</c> (Manage Server or Administrator in <c>permissions</c>) — remembered for
/// <see cref="GuildsFreshFor"/>, then asked again.
/// </summary>
internal sealed class DiscordOAuth(IHttpClientFactory clients, IOptions<DiscordOptions> discord, IOptions<WebOptions> web, TimeProvider time)
{
    public const string HttpClientName = "discord-oauth";

    public static readonly TimeSpan GuildsFreshFor = TimeSpan.FromMinutes(1);

    private const long ManageGuild = 1 << 5;
    private const long Administrator = 1 << 3;

    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Guilds, DateTimeOffset Until)> guilds = new(StringComparer.Ordinal);

    public bool Enabled => web.Value.DiscordClientId is { Length: > 0 } && web.Value.DiscordClientSecret is { Length: > 0 };

    public string AuthorizeUrl(string redirectUri, string state) =>
        $"{web.Value.DiscordAuthorizeUrl}?response_type=code&client_id={Uri.EscapeDataString(web.Value.DiscordClientId!)}&scope={Uri.EscapeDataString("identify guilds")}&redirect_uri={Uri.EscapeDataString(redirectUri)}&state={Uri.EscapeDataString(state)}&prompt=none";

    /// <summary>Exchanges the code and reads who logged in; null with a reason when Discord refuses.</summary>
    public async Task<(DiscordLoginUser? User, string? Refusal)> LoginAsync(string code, string redirectUri, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, Api("oauth2/token")) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{web.Value.DiscordClientId}:{web.Value.DiscordClientSecret}")));
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, $"Discord refused the login ({(int)response.StatusCode})");
        }

        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        if (token?.AccessToken is not { Length: > 0 } accessToken)
        {
            return (null, "Discord gave no access token");
        }

        using var me = new HttpRequestMessage(HttpMethod.Get, Api("users/@me"));
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var meResponse = await clients.CreateClient(HttpClientName).SendAsync(me, cancellationToken);
        if (!meResponse.IsSuccessStatusCode)
        {
            return (null, $"Discord did not say who you are ({(int)meResponse.StatusCode})");
        }

        var user = await meResponse.Content.ReadFromJsonAsync<UserResponse>(cancellationToken);
        return user?.Id is { Length: > 0 } id
            ? (new DiscordLoginUser(id, user.GlobalName ?? user.Username ?? id, accessToken), null)
            : (null, "Discord's answer had no user id");
    }

    /// <summary>The ids of the servers where the token's user has Manage Server; empty when Discord refuses the token.</summary>
    public async Task<IReadOnlyList<string>> ManagedGuildsAsync(string accessToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (guilds.TryGetValue(accessToken, out var known) && known.Until > now)
        {
            return known.Guilds;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, Api("users/@me/guilds"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        var all = await response.Content.ReadFromJsonAsync<List<GuildResponse>>(cancellationToken) ?? [];
        var managed = all
            .Where(g => g.Owner || (long.TryParse(g.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && (p & (ManageGuild | Administrator)) != 0))
            .Select(g => g.Id)
            .ToList();
        guilds[accessToken] = (managed, now + GuildsFreshFor);
        return managed;
    }

    private Uri Api(string path) => new(discord.Value.ApiBaseUrl.TrimEnd('/') + "/" + path);

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken);

    private sealed record UserResponse(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("username")] string? Username,
        [property: JsonPropertyName("global_name")] string? GlobalName);

    private sealed record GuildResponse(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("owner")] bool Owner,
        [property: JsonPropertyName("permissions")] string? Permissions);
}
