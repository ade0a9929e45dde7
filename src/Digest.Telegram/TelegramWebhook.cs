using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Digest.Telegram;

/// <summary>
/// Webhook mode: a small Kestrel endpoint (POST /telegram/webhook on Telegram:WebhookListenUrl, behind the TLS proxy that
/// Telegram:WebhookUrl names) that checks X-Telegram-Bot-Api-Secret-Token and keeps each update in the inbox before it
/// answers 200 (a store failure answers 500, and Telegram sends the update again); the inbox's per-chat loops handle it.
/// </summary>
internal sealed class TelegramWebhook(TelegramInbox inbox, IOptions<TelegramOptions> options) : IHostedService, IAsyncDisposable
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private WebApplication? app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Value.WebhookListenUrl);
        app = builder.Build();
        var secret = Encoding.UTF8.GetBytes(options.Value.WebhookSecret ?? "");
        app.MapPost(Path, async (HttpContext context) =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers[SecretHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, secret))
            {
                return Results.Unauthorized();
            }

            var update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted);
            if (update is null)
            {
                return Results.BadRequest();
            }

            await inbox.ReceiveAsync([update], null, context.RequestAborted);
            return Results.Ok();
        });
        await app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
