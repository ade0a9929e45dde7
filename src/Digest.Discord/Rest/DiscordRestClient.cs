using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Digest.Discord.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord.Rest;

/// <summary>
/// Discord's REST API v10, the few calls Digest makes. Every call goes through the rate limiter and has its own timeout
/// (<see cref="DiscordOptions.RequestTimeout"/>); 429s are waited out (up to <see cref="LongestWait"/>), 5xx and network
/// errors retried with backoff (except a webhook's post, which takes no nonce: the outbox retries it, after looking
/// whether it got through); anything else — a timeout included — becomes a <see cref="DiscordApiException"/> carrying
/// Discord's status, error code and message, never a cancellation. Calls with a deadline (an interaction's answer) retry
/// 5xx, resets and timeouts quickly while the deadline allows.
/// </summary>
internal sealed partial class DiscordRestClient(HttpClient http, DiscordRateLimiter limiter, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger)
{
    public const string UserAgent = "DiscordBot (https://github.com/digest-bot/digest, 1.0)";

    /// <summary>A 429 asking for longer than this is handed back to the caller (the outbox retries later) instead of blocking.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    private const int MaxRateLimitRetries = 5;
    private const int MaxServerErrorRetries = 3;

    /// <summary>Discord's code for an interaction answered already: a retried answer whose first try got through.</summary>
    private const int AlreadyAcknowledged = 40060;
    private const int UnknownMessage = 10008;

    private readonly DiscordOptions options = options.Value;
    private volatile bool tokenRejected;

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        Read<GatewayBotInfo>(await SendAsync(DiscordRoute.GetGatewayBot(), null, cancellationToken));

    public async Task<string> GetApplicationIdAsync(CancellationToken cancellationToken) =>
        Read<ApplicationInfo>(await SendAsync(DiscordRoute.GetMyApplication(), null, cancellationToken)).Id;

    internal async Task<JsonElement> GetCommandsAsync(string applicationId, string? guildId, CancellationToken cancellationToken) =>
        await SendAsync(DiscordRoute.Commands(HttpMethod.Get, applicationId, guildId), null, cancellationToken) ?? default;

    internal Task PutCommandsAsync(string applicationId, string? guildId, object commands, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.Commands(HttpMethod.Put, applicationId, guildId), commands, cancellationToken);

    public Task CreateMessageAsync(string channelId, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.CreateMessage(channelId), message, cancellationToken);

    /// <summary>The id of the DM channel with a user (POST /users/@me/channels; Discord returns the existing one if there is one).</summary>
    public async Task<string> CreateDmAsync(string userId, CancellationToken cancellationToken) =>
        Read<ChannelInfo>(await SendAsync(DiscordRoute.CreateDm(), new DmRequest(userId), cancellationToken)).Id;

    public Task ExecuteWebhookAsync(string webhookId, string webhookToken, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.ExecuteWebhook(webhookId, webhookToken), message, cancellationToken);

    /// <summary>The id of the channel a webhook posts in (GET /webhooks/{id}/{token}; no bot token needed).</summary>
    public async Task<string> GetWebhookChannelAsync(string webhookId, string webhookToken, CancellationToken cancellationToken) =>
        Read<WebhookInfo>(await SendAsync(DiscordRoute.GetWebhook(webhookId, webhookToken), null, cancellationToken)).ChannelId;

    /// <summary>Up to 100 messages of a channel created after <paramref name="since"/>, newest first (the bot needs Read Message History there).</summary>
    public async Task<IReadOnlyList<JsonElement>> GetMessagesSinceAsync(string channelId, DateTimeOffset since, CancellationToken cancellationToken) =>
        await SendAsync(DiscordRoute.ListMessagesAfter(channelId, Snowflake.AtTime(since)), null, cancellationToken) is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray()]
            : [];

    /// <summary>The first answer to an interaction, retried until <paramref name="deadline"/>; an answer that got through the first time counts.</summary>
    internal async Task CreateInteractionResponseAsync(string interactionId, string interactionToken, object response, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(DiscordRoute.InteractionCallback(interactionId, interactionToken), response, cancellationToken, deadline);
        }
        catch (DiscordApiException ex) when (ex.Code == AlreadyAcknowledged)
        {
        }
    }

    internal Task EditOriginalResponseAsync(string applicationId, string interactionToken, DiscordMessage message, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.EditOriginal(applicationId, interactionToken), message, cancellationToken, deadline);

    /// <summary>Deletes the original answer; one already gone (a retry whose first attempt got through) counts as deleted.</summary>
    internal async Task DeleteOriginalResponseAsync(string applicationId, string interactionToken, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(DiscordRoute.DeleteOriginal(applicationId, interactionToken), null, cancellationToken, deadline);
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownMessage)
        {
        }
    }

    internal Task CreateFollowUpAsync(string applicationId, string interactionToken, DiscordMessage message, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.FollowUp(applicationId, interactionToken), message, cancellationToken, deadline);

    internal async Task<JsonElement?> SendAsync(DiscordRoute route, object? body, CancellationToken cancellationToken, DateTimeOffset? deadline = null)
    {
        if (route.Authenticated && !options.HasBotToken)
        {
            throw new DiscordApiException(0, "Discord:BotToken is not set");
        }

        if (route.Authenticated && tokenRejected)
        {
            throw new DiscordApiException(401, "Discord rejected the bot token earlier (401); no more authenticated requests until restart — check Discord:BotToken");
        }

        var serverErrors = 0;
        for (var rateLimits = 0; ; )
        {
            await limiter.AcquireAsync(route, cancellationToken);
            using var request = new HttpRequestMessage(route.Method, options.ApiBaseUrl.TrimEnd('/') + route.Path);
            if (route.Authenticated)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.BotToken);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: DiscordJson.Options);
            }

            // One attempt, under its own timeout: the response's headers and body both.
            using var attempt = new CancellationTokenSource(options.RequestTimeout, time);
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attempt.Token);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, call.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var reason = ex is HttpRequestException ? ex.Message : $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s";

                // A timeout is retried only against a deadline (an interaction's answer); otherwise the caller (the outbox) retries later.
                if (ex is HttpRequestException || deadline is not null)
                {
                    var wait = Backoff(serverErrors, deadline);
                    if (wait is { } delay && (deadline is not null || (route.RetrySafe && serverErrors < MaxServerErrorRetries)))
                    {
                        Log.Transient(logger, ex, route.Method.Method, route.Template, 0, delay);
                        serverErrors++;
                        await Task.Delay(delay, time, cancellationToken);
                        continue;
                    }
                }

                throw new DiscordApiException(0, $"{route.Method.Method} {route.Template}: {reason}");
            }

            using (response)
            {
                limiter.Update(route, response.Headers);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return response.Content.Headers.ContentLength == 0 || status == 204
                        ? null
                        : await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                }

                var error = await ReadErrorAsync(response, cancellationToken);
                if (status == 429)
                {
                    var scope = Header(response, "X-RateLimit-Scope");
                    var global = Header(response, "X-RateLimit-Global") == "true" || error.Global || scope == "global";
                    var retryAfter = error.RetryAfter ?? RetryAfterHeader(response) ?? TimeSpan.FromSeconds(1);
                    limiter.RecordInvalid(status, scope);
                    limiter.RateLimited(route, retryAfter, global, scope);
                    if (retryAfter > LongestWait || rateLimits++ >= MaxRateLimitRetries)
                    {
                        throw new DiscordApiException(status, $"rate limited on {route.Template} for {retryAfter.TotalSeconds:0.#} s", error.Code, retryAfter);
                    }

                    continue;
                }

                if (status >= 500 && (deadline is not null || (route.RetrySafe && serverErrors < MaxServerErrorRetries)) && Backoff(serverErrors, deadline) is { } delay)
                {
                    Log.Transient(logger, null, route.Method.Method, route.Template, status, delay);
                    serverErrors++;
                    await Task.Delay(delay, time, cancellationToken);
                    continue;
                }

                if (status is 401 or 403)
                {
                    limiter.RecordInvalid(status, null);
                }

                if (status == 401 && route.Authenticated)
                {
                    tokenRejected = true;
                    Log.TokenRejected(logger, route.Template);
                }

                Log.Failed(logger, route.Method.Method, route.Template, status, error.Code, error.Message);
                throw new DiscordApiException(status, $"Discord answered {status} to {route.Method.Method} {route.Template}: {error.Message}", error.Code);
            }
        }
    }

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> + 1: 1, 2, 4 s; against a deadline 0.25, 0.5, 1 s… and null when
    /// the retry would not start before the deadline.
    /// </summary>
    private TimeSpan? Backoff(int attempt, DateTimeOffset? deadline)
    {
        if (deadline is not { } end)
        {
            return Core.Backoff.Exponential(TimeSpan.FromSeconds(1), attempt + 1, TimeSpan.FromMinutes(1));
        }

        var wait = Core.Backoff.Exponential(TimeSpan.FromMilliseconds(250), attempt + 1, TimeSpan.FromSeconds(64));
        return time.GetUtcNow() + wait < end ? wait : null;
    }

    private static T Read<T>(JsonElement? body) => body is { } element
        ? element.Deserialize<T>(DiscordJson.Options) ?? throw new DiscordApiException(0, $"Discord sent an empty {typeof(T).Name}")
        : throw new DiscordApiException(0, $"Discord sent no {typeof(T).Name}");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan? RetryAfterHeader(HttpResponseMessage response) =>
        double.TryParse(Header(response, "Retry-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    private static async Task<ErrorBody> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return new ErrorBody(
                root.TryGetProperty("message", out var message) ? message.GetString() ?? "" : text,
                root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
                root.TryGetProperty("retry_after", out var retry) && retry.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(retry.GetDouble()) : null,
                root.TryGetProperty("global", out var global) && global.ValueKind == JsonValueKind.True);
        }
        catch (JsonException)
        {
            return new ErrorBody(text.Length > 200 ? text[..200] : text, null, null, false);
        }
    }

    private sealed record ErrorBody(string Message, int? Code, TimeSpan? RetryAfter, bool Global);

    private sealed record ApplicationInfo(string Id);

    private sealed record ChannelInfo(string Id);

    private sealed record WebhookInfo(string Id, string ChannelId);

    private sealed record DmRequest(string RecipientId);

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "Discord {Method} {Route} failed with {Status}; retrying in {Delay}")]
        public static partial void Transient(ILogger logger, Exception? exception, string method, string route, int status, TimeSpan delay);

        [LoggerMessage(11, LogLevel.Warning, "Discord {Method} {Route} answered {Status} (code {Code}): {Message}")]
        public static partial void Failed(ILogger logger, string method, string route, int status, int? code, string message);

        [LoggerMessage(12, LogLevel.Critical, "Discord rejected the bot token (401 on {Route}); authenticated requests stop until restart — check Discord:BotToken")]
        public static partial void TokenRejected(ILogger logger, string route);
    }
}

/// <summary>GET /gateway/bot: where to connect, and how many sessions may still be started.</summary>
internal sealed record GatewayBotInfo(string Url, int Shards, SessionStartLimit SessionStartLimit);

internal sealed record SessionStartLimit(int Total, int Remaining, long ResetAfter, int MaxConcurrency);
