using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Digest.Discord.Messages;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord;

/// <summary>
/// Posts outbox messages to Discord. A channel's address is a channel id (sent as the bot), a webhook URL (sent to
/// Discord's API by the webhook's id and token, never to the URL's own host), or <c>dm:{user id}</c> (a member's
/// private digest and alerts, sent in the DM channel Discord opens for the bot and that user). A deleted webhook or a
/// channel the bot cannot reach is a permanent failure with a reason a moderator can act on.
/// A post by the bot carries a nonce with enforce_nonce, so Discord itself drops a retried post. A webhook takes no nonce:
/// when a message was tried before (<see cref="OutboundMessage.TriedSince"/>) and a bot token is set, the channel's
/// messages since the message was queued are read first, and the part is not posted again when the webhook's post of it
/// is there; without a bot token (or without Read Message History) it is posted again.
/// </summary>
internal sealed partial class DiscordPublisher(DiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<DiscordPublisher> logger) : IChannelPublisher
{
    public const string PlatformName = "discord";

    /// <summary>The address prefix of a member's private channel: <c>dm:{user id}</c>.</summary>
    public const string DirectPrefix = "dm:";

    private readonly ConcurrentDictionary<string, string> directChannels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> webhookChannels = new(StringComparer.Ordinal);

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
                    // Webhooks take no nonce: the part an earlier attempt may have posted is looked for first.
                    if (part == message.PartsSent && message.TriedSince is { } since && await PostedBeforeAsync(hook, parts[part], since, cancellationToken))
                    {
                        Log.FoundEarlierPost(logger, channel.Id, message.Id, part);
                    }
                    else
                    {
                        await rest.ExecuteWebhookAsync(hook.Id, hook.Token, parts[part], cancellationToken);
                    }
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

    /// <summary>
    /// Whether the webhook already posted <paramref name="part"/> since <paramref name="since"/> (when its message was
    /// queued): the channel's messages since then (read as the bot), one from this webhook with the same content and embeds.
    /// A channel's messages go out in order, so such a post is this part's, from an attempt whose answer was lost.
    /// False without a bot token, or when Discord lets the bot not read the channel (then the part is posted again).
    /// </summary>
    private async Task<bool> PostedBeforeAsync((string Id, string Token) hook, DiscordMessage part, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!options.Value.HasBotToken)
        {
            return false;
        }

        if (!webhookChannels.TryGetValue(hook.Id, out var channelId))
        {
            channelId = await rest.GetWebhookChannelAsync(hook.Id, hook.Token, cancellationToken);
            webhookChannels[hook.Id] = channelId;
        }

        IReadOnlyList<JsonElement> recent;
        try
        {
            recent = await rest.GetMessagesSinceAsync(channelId, since, cancellationToken);
        }
        catch (DiscordApiException ex) when (ex.Status is 401 or 403 or 404)
        {
            Log.CannotReadChannel(logger, channelId, ex.Status);
            return false;
        }

        return recent.Any(m => Text(m, "webhook_id") == hook.Id && SamePost(m, part));
    }

    private static bool SamePost(JsonElement posted, DiscordMessage part)
    {
        var embeds = posted.TryGetProperty("embeds", out var e) && e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray()] : new List<JsonElement>();
        var ours = part.Embeds ?? [];
        return (Text(posted, "content") ?? "") == (part.Content ?? "")
            && embeds.Count == ours.Count
            && embeds.Zip(ours).All(p => (Text(p.First, "title") ?? "") == (p.Second.Title ?? "") && (Text(p.First, "description") ?? "") == (p.Second.Description ?? ""));
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
        [LoggerMessage(31, LogLevel.Information, "Discord channel {ChannelId}: part {Part} of message {MessageId} was posted by an earlier attempt whose answer was lost; not posted again")]
        public static partial void FoundEarlierPost(ILogger logger, long channelId, long messageId, int part);

        [LoggerMessage(32, LogLevel.Warning, "Discord channel {ChannelId}: the bot cannot read its messages ({Status}) to check whether a webhook post got through; posting again (give the bot View Channels and Read Message History there)")]
        public static partial void CannotReadChannel(ILogger logger, string channelId, int status);

        [LoggerMessage(30, LogLevel.Warning, "Discord channel {ChannelId}: publish failed with {Status}: {Reason} (permanent: {Permanent})")]
        public static partial void PublishFailed(ILogger logger, long channelId, int status, string reason, bool permanent);
    }
}
