namespace Digest.Discord.Rest;

/// <summary>
/// One REST call: its method, its path, and the rate-limit key Discord uses (route template plus the top-level resource:
/// channel, guild, webhook id+token, interaction token). <see cref="Template"/> never holds a token, so it is what logs show.
/// </summary>
internal sealed record DiscordRoute(HttpMethod Method, string Template, string Path, string Major, bool Authenticated = true)
{
    /// <summary>Interaction responses are not bound by the global 50 requests/second limit.</summary>
    public bool IsInteraction => Template.StartsWith("/interactions/", StringComparison.Ordinal)
        || Template.StartsWith("/webhooks/{application_id}/{interaction_token}", StringComparison.Ordinal);

    public string Key => $"{Method.Method} {Template} {Major}";

    /// <summary>
    /// Whether a 5xx or a reset connection may be retried at once: false for a webhook's post, which takes no nonce, so a
    /// post that reached Discord before the answer was lost would show twice; the outbox retries it instead.
    /// </summary>
    public bool RetrySafe { get; init; } = true;

    public static DiscordRoute GetGatewayBot() => new(HttpMethod.Get, "/gateway/bot", "/gateway/bot", "");

    public static DiscordRoute GetMyApplication() => new(HttpMethod.Get, "/applications/@me", "/applications/@me", "");

    public static DiscordRoute Commands(HttpMethod method, string applicationId, string? guildId) => guildId is null
        ? new(method, "/applications/{application_id}/commands", $"/applications/{Id(applicationId)}/commands", "")
        : new(method, "/applications/{application_id}/guilds/{guild_id}/commands", $"/applications/{Id(applicationId)}/guilds/{Id(guildId)}/commands", guildId);

    public static DiscordRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "/channels/{channel_id}/messages", $"/channels/{Id(channelId)}/messages", channelId);

    public static DiscordRoute CreateDm() => new(HttpMethod.Post, "/users/@me/channels", "/users/@me/channels", "");

    public static DiscordRoute ExecuteWebhook(string webhookId, string webhookToken) =>
        new(HttpMethod.Post, "/webhooks/{webhook_id}/{webhook_token}", $"/webhooks/{Id(webhookId)}/{Token(webhookToken)}?wait=true", webhookId + "/" + webhookToken, Authenticated: false) { RetrySafe = false };

    /// <summary>The webhook object (its channel), read with the webhook's own token: GET /webhooks/{id}/{token}.</summary>
    public static DiscordRoute GetWebhook(string webhookId, string webhookToken) =>
        new(HttpMethod.Get, "/webhooks/{webhook_id}/{webhook_token}", $"/webhooks/{Id(webhookId)}/{Token(webhookToken)}", webhookId + "/" + webhookToken, Authenticated: false);

    /// <summary>Up to 100 of a channel's messages newer than the snowflake <paramref name="after"/>, newest first (needs Read Message History).</summary>
    public static DiscordRoute ListMessagesAfter(string channelId, ulong after) =>
        new(HttpMethod.Get, "/channels/{channel_id}/messages", $"/channels/{Id(channelId)}/messages?after={after.ToString(System.Globalization.CultureInfo.InvariantCulture)}&limit=100", channelId);

    public static DiscordRoute InteractionCallback(string interactionId, string interactionToken) =>
        new(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback", $"/interactions/{Id(interactionId)}/{Token(interactionToken)}/callback", interactionToken, Authenticated: false);

    public static DiscordRoute EditOriginal(string applicationId, string interactionToken) =>
        new(HttpMethod.Patch, "/webhooks/{application_id}/{interaction_token}/messages/@original", $"/webhooks/{Id(applicationId)}/{Token(interactionToken)}/messages/@original", interactionToken, Authenticated: false);

    public static DiscordRoute DeleteOriginal(string applicationId, string interactionToken) =>
        new(HttpMethod.Delete, "/webhooks/{application_id}/{interaction_token}/messages/@original", $"/webhooks/{Id(applicationId)}/{Token(interactionToken)}/messages/@original", interactionToken, Authenticated: false);

    public static DiscordRoute FollowUp(string applicationId, string interactionToken) =>
        new(HttpMethod.Post, "/webhooks/{application_id}/{interaction_token}", $"/webhooks/{Id(applicationId)}/{Token(interactionToken)}", interactionToken, Authenticated: false);

    /// <summary>Snowflakes only: an id from a config file or a payload never changes the path.</summary>
    private static string Id(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit)
        ? id
        : throw new ArgumentException($"'{id}' is not a Discord id (snowflake)", nameof(id));

    private static string Token(string token) => Uri.EscapeDataString(token);
}
