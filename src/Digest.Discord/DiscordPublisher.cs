using System.Text.RegularExpressions;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Digest.Discord.Messages;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Digest.Discord;

/// <summary>
/// Posts outbox messages to Discord. A channel's address is a channel id (sent as the bot) or a webhook URL (sent to
/// Discord's API by the webhook's id and token, never to the URL's own host). A deleted webhook or a channel the bot
/// cannot reach is a permanent failure with a reason a moderator can act on.
/// </summary>
internal sealed partial class DiscordPublisher(DiscordRestClient rest, ILogger<DiscordPublisher> logger) : IChannelPublisher
{
    public const string PlatformName = "discord";

    public string Platform => PlatformName;

    public async Task<PublishResult> PublishAsync(ChannelRecord channel, OutboxPayload payload, CancellationToken cancellationToken)
    {
        var webhook = ParseWebhook(channel.Address);
        if (webhook is null && !IsSnowflake(channel.Address))
        {
            return new PublishResult(false, "the address is neither a Discord channel id nor a webhook URL", Permanent: true);
        }

        var messages = payload.Digest is { } digest
            ? DiscordDigestRenderer.Render(digest)
            : MessageLimits.Pack(DiscordText.Escape(payload.Text ?? ""), null);
        try
        {
            foreach (var message in messages)
            {
                if (webhook is { } hook)
                {
                    await rest.ExecuteWebhookAsync(hook.Id, hook.Token, message, cancellationToken);
                }
                else
                {
                    await rest.CreateMessageAsync(channel.Address, message, cancellationToken);
                }
            }

            return PublishResult.Ok;
        }
        catch (DiscordApiException ex)
        {
            var result = (webhook is not null, ex.Status) switch
            {
                (true, 404) => new PublishResult(false, "webhook deleted; bind a new one with /webhook bind", Permanent: true),
                (true, 401 or 403) => new PublishResult(false, "webhook token rejected; bind a new one with /webhook bind", Permanent: true),
                (false, 403) => new PublishResult(false, "the bot cannot post in this channel; give it View Channels, Send Messages and Embed Links", Permanent: true),
                (false, 404) => new PublishResult(false, "channel not found (deleted, or the bot was removed from the server)", Permanent: true),
                _ => new PublishResult(false, ex.Message, RetryAfter: ex.RetryAfter),
            };
            Log.PublishFailed(logger, channel.Id, ex.Status, result.Error!, result.Permanent);
            return result;
        }
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
