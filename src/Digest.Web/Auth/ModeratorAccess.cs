using System.Globalization;
using System.Security.Claims;
using Digest.Core.Storage;
using Digest.Telegram;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Web.Auth;

/// <summary>Who is logged in: their platform and id there, and (Discord) the token that reads their servers.</summary>
internal static class Session
{
    public const string PlatformClaim = "digest:platform";
    public const string UserIdClaim = "digest:user";
    public const string DiscordTokenClaim = "digest:discord-token";

    public static ClaimsPrincipal For(string platform, string userId, string displayName, string? discordToken = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, $"{platform}:{userId}"),
            new(ClaimTypes.Name, displayName),
            new(PlatformClaim, platform),
            new(UserIdClaim, userId),
        };
        if (discordToken is not null)
        {
            claims.Add(new Claim(DiscordTokenClaim, discordToken));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "digest"));
    }
}

/// <summary>
/// Which communities a logged-in user moderates, asked of the platform each time (through its brief cache): a Telegram
/// group's creator or administrators (getChatMember, <c>Telegram:AdminCacheDuration</c>), a Discord server's members with
/// Manage Server (<c>/users/@me/guilds</c>, a minute). Only communities the bot knows (it has a channel there) are listed.
/// </summary>
internal sealed class ModeratorAccess(IDeliveryStore deliveries, IServiceProvider services)
{
    public async Task<IReadOnlyList<string>> CommunitiesAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var platform = user.FindFirstValue(Session.PlatformClaim);
        var userId = user.FindFirstValue(Session.UserIdClaim);
        if (platform is null || userId is null)
        {
            return [];
        }

        var known = (await deliveries.GetChannelsAsync(cancellationToken))
            .Where(c => c.Platform == platform && c.CommunityId is not null)
            .Select(c => c.CommunityId!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var mine = new List<string>();
        switch (platform)
        {
            case "telegram" when services.GetService<TelegramModerators>() is { } moderators && long.TryParse(userId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var telegramUser):
                foreach (var community in known)
                {
                    if (long.TryParse(community.AsSpan("telegram:".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var chat)
                        && (chat == telegramUser || await moderators.IsModeratorAsync(chat, telegramUser, cancellationToken)))
                    {
                        mine.Add(community);
                    }
                }

                break;
            case "discord" when user.FindFirstValue(Session.DiscordTokenClaim) is { } token:
                var guilds = await services.GetRequiredService<DiscordOAuth>().ManagedGuildsAsync(token, cancellationToken);
                mine.AddRange(known.Where(c => guilds.Contains(c["discord:".Length..], StringComparer.Ordinal)));
                break;
        }

        return mine;
    }

    public async Task<bool> CanModerateAsync(ClaimsPrincipal user, string communityId, CancellationToken cancellationToken) =>
        (await CommunitiesAsync(user, cancellationToken)).Contains(communityId, StringComparer.Ordinal);
}
