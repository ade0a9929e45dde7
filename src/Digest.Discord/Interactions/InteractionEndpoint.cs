using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Digest.Discord.Interactions;

internal static class InteractionEndpoint
{
    private const int MaxBody = 1024 * 1024;

    public const string Path = "/discord/interactions";

    /// <summary>
    /// The HTTP interactions endpoint (set its public URL as "Interactions Endpoint URL" in the Developer Portal):
    /// Ed25519-verified, its timestamp within <see cref="InteractionReplayGuard.Window"/> of now and never seen before (401
    /// otherwise), PING answered with PONG, commands answered in the HTTP response within 3 s.
    /// </summary>
    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string path = Path) =>
        endpoints.MapPost(path, async (HttpContext context, IOptions<DiscordOptions> options, InteractionResponder responder, InteractionReplayGuard replays, IHostApplicationLifetime lifetime) =>
        {
            if (options.Value.PublicKey is not { Length: > 0 } publicKey)
            {
                return Results.Problem("Discord:PublicKey is not set", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (context.Request.ContentLength > MaxBody)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBody)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            var body = buffer.ToArray();
            string signature = context.Request.Headers["X-Signature-Ed25519"].ToString(), timestamp = context.Request.Headers["X-Signature-Timestamp"].ToString();
            if (!InteractionSignature.Verify(publicKey, signature, timestamp, body))
            {
                return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);
            }

            // Only a genuine request is remembered, so a forger cannot fill the guard.
            if (replays.Check(timestamp, signature) is { } refused)
            {
                return Results.Text(refused, statusCode: StatusCodes.Status401Unauthorized);
            }

            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("type", out var type) && type.GetInt32() == DiscordInteraction.PingType)
            {
                return Results.Json(new InteractionCallback(InteractionCallback.Pong), DiscordJson.Options);
            }

            if (DiscordInteraction.Parse(document.RootElement) is not { } interaction)
            {
                return Results.BadRequest();
            }

            // The first answer goes back in this HTTP response; edits and follow-ups continue after it.
            var first = new TaskCompletionSource<InteractionCallback>(TaskCreationOptions.RunContinuationsAsynchronously);
            var responding = responder.RespondAsync(interaction, (callback, _) =>
            {
                first.TrySetResult(callback);
                return Task.CompletedTask;
            }, lifetime.ApplicationStopping);
            await Task.WhenAny(first.Task, responding);
            return first.Task.IsCompletedSuccessfully
                ? Results.Json(await first.Task, DiscordJson.Options)
                : Results.StatusCode(StatusCodes.Status500InternalServerError);
        });
}
