using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Digest.Discord.Messages;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Digest.Discord;

/// <summary>
/// Posts outbox messages to Discord. A channel's address is a channel id (sent as the bot), a webhook URL (sent to
/// Discord's API by the webhook's id and token, never to the URL's own host), or <c>dm:{user id}</c> (a member's
/// private digest and alerts, sent in the DM channel Discord opens for the bot and that user). A deleted webhook or a
/// channel the bot cannot reach is a permanent failure with a reason a moderator can act on.
/// </summary>
internal sealed partial class DiscordPublisher(DiscordRestClient rest, ILogger<DiscordPublisher> logger) : IChannelPublisher
{
    public const string PlatformName = "discord";

    /// <summary>The address prefix of a member's private channel: <c>dm:{user id}</c>.</summary>
    public const string DirectPrefix = "dm:";

    private readonly ConcurrentDictionary<string, string> directChannels = new(StringComparer.Ordinal);

    public string Platform => PlatformName;

    public async Task<PublishResult> PublishAsync(ChannelRecord channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        var webhook = ParseWebhook(channel.Address);
        var direct = channel.Address.StartsWith(DirectPrefix, StringComparison.Ordinal) ? channel.Address[DirectPrefix.Length..] : null;
        if (webhook is null && !IsSnowflake(direct ?? channel.Address))
        {
            return new PublishResult(false, "the address is neither a Discord channel id, a dm:{user id} nor a webhook URL", Permanent: true);
        }

        var parts = message.Payload.Digest is { } digest
            ? DiscordDigestRenderer.Render(digest)
            : MessageLimits.Pack(DiscordText.Escape(message.Payload.Text ?? ""), null);
        try
        {
            var channelId = direct is null ? channel.Address : await DirectChannelAsync(direct, cancellationToken);
            for (var part = message.PartsSent; part < parts.Count; part++)
            {
                if (webhook is { } hook)
                {
                    // Webhooks take no nonce: a part whose answer was lost is posted again (the README says so).
                    await rest.ExecuteWebhookAsync(hook.Id, hook.Token, parts[part], cancellationToken);
                }
                else
                {
                    // Derived from the outbox id and the part, so a retry of the same part is recognised and not posted twice.
                    await rest.CreateMessageAsync(channelId, parts[part] with { Nonce = DiscordMessage.NonceFor(message.Id, part), EnforceNonce = true }, cancellationToken);
                }

                await message.PartSentAsync();
            }

            return PublishResult.Ok;
        }
        catch (DiscordApiException ex)
        {
            var result = (webhook is not null, ex.Status) switch
            {
                (true, 404) => new PublishResult(false, "webhook deleted; bind a new one with /webhook bind", Permanent: true),
                (true, 401 or 403) => new PublishResult(false, "webhook token rejected; bind a new one with /webhook bind", Permanent: true),
                (false, 403) when direct is not null => new PublishResult(false, "the member does not accept direct messages from the bot (or left the server)", Permanent: true),
                (false, 403) => new PublishResult(false, "the bot cannot post in this channel; give it View Channels, Send Messages and Embed Links", Permanent: true),
                (false, 404) => new PublishResult(false, "channel not found (deleted, or the bot was removed from the server)", Permanent: true),
                (_, 400 or 413) => new PublishResult(false, ex.Message, Rejected: true),
                _ => new PublishResult(false, ex.Message, RetryAfter: ex.RetryAfter),
            };
            Log.PublishFailed(logger, channel.Id, ex.Status, result.Error!, result.Permanent);
            return result;
        }
    }

    private async Task<string> DirectChannelAsync(string userId, CancellationToken cancellationToken)
    {
        if (!directChannels.TryGetValue(userId, out var channelId))
        {
            channelId = await rest.CreateDmAsync(userId, cancellationToken);
            directChannels[userId] = channelId;
        }

        return channelId;
    }

    /// <summary>The id and token of a Discord webhook URL (discord.com, discordapp.com, ptb., canary., with or without /v10).</summary>
    internal static (string Id, string Token)? ParseWebhook(string address)
    {
        var match = WebhookUrl().Match(address.Trim());
        return match.Success ? (match.Groups["id"].Value, match.Groups["token"].Value) : null;
    }

    private static bool IsSnowflake(string address) => address.Length is > 0 and <= 20 && address.All(char.IsAsciiDigit);

    [GeneratedRegex(@"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/(?<id>\d{1,20})/(?<token>[A-Za-z0-9_\-]+)/?$")]
    private static partial Regex WebhookUrl();

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "Discord channel {ChannelId}: publish failed with {Status}: {Reason} (permanent: {Permanent})")]
        public static partial void PublishFailed(ILogger logger, long channelId, int status, string reason, bool permanent);
    }
}
