using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Digest.Telegram;

/// <summary>
/// Webhook mode: POST /telegram/webhook on the bot's one web host (<c>Web:Urls</c>, behind the TLS proxy that
/// Telegram:WebhookUrl names) checks X-Telegram-Bot-Api-Secret-Token and keeps each update in the inbox before it answers
/// 200 (a store failure answers 500, and Telegram sends the update again); the inbox's per-chat loops handle it.
/// </summary>
internal static class TelegramWebhook
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Maps the webhook when Telegram runs in webhook mode; otherwise maps nothing (the path answers 404).</summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<IOptions<TelegramOptions>>()?.Value is not { Enabled: true, Mode: "webhook" } options)
        {
            return endpoints;
        }

        var secret = Encoding.UTF8.GetBytes(options.WebhookSecret ?? "");
        endpoints.MapPost(Path, async (HttpContext context, TelegramInbox inbox) =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers[SecretHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, secret))
            {
                return Results.Unauthorized();
            }

            Update? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted);
            }
            catch (JsonException)
            {
                // Not an update (a probe, a misconfigured proxy): the sender's mistake, not the bot's, and nothing to store.
                return Results.BadRequest();
            }

            if (update is null)
            {
                return Results.BadRequest();
            }

            await inbox.ReceiveAsync([update], null, context.RequestAborted);
            return Results.Ok();
        });
        return endpoints;
    }
}
